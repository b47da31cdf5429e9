"""`python build.py inbox ...`: import, list, show, accept, answer, told, reject, restore.

The arguments only: what the actions do is console.py, imported when one runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.schema import ROLES

if TYPE_CHECKING:
    from rich.console import Console

    from .console import Report


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    inbox = commands.add_parser(
        "inbox",
        help="readers' comments and letters: import, list, show, accept, answer, told, reject, "
        "restore",
    )
    _site(inbox)
    actions = inbox.add_subparsers(dest="action", metavar="ACTION")
    imported = actions.add_parser("import", help="import form exports (CSV, JSON) and email")
    imported.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _site(imported)
    listed = actions.add_parser("list", help="pending submissions by advice (the default)")
    _site(listed)
    show = actions.add_parser("show", help="one submission in full")
    show.add_argument("id", metavar="ID", help="an inbox id, or a unique start of one")
    _site(show)
    accept = actions.add_parser("accept", help="publish as content/advice/<slug>/comments/<id>.md")
    accept.add_argument("id", metavar="ID", help="an inbox id, or a unique start of one")
    target = accept.add_mutually_exclusive_group()
    target.add_argument("--reply-to", metavar="ID", help="the comment it answers")
    target.add_argument("--top-level", action="store_true", help="answer no comment")
    accept.add_argument("--advice", metavar="SLUG", help="the advice it belongs to")
    accept.add_argument("--author", metavar="NAME", help="the name to publish")
    accept.add_argument(
        "--role",
        choices=ROLES,
        help="the badge it wears: reader (the default: a typed name earns none), asker (the "
        "default for a comment sent from the address of the letter the advice answers), columnist",
    )
    _site(accept)
    answering = actions.add_parser("answer", help="make a reader's letter a draft advice")
    answering.add_argument("id", metavar="ID", help="an inbox id, or a unique start of one")
    answering.add_argument(
        "--title", metavar="TITLE", help="the headline (proposed: its first sentence)"
    )
    answering.add_argument(
        "--signature", metavar="NAME", help="the asker's signature (proposed: 'Иван П.')"
    )
    answering.add_argument(
        "--force", action="store_true", help="answer a letter sent without consent to publish it"
    )
    _site(answering)
    told = actions.add_parser("told", help="the asker of an answered letter has been told")
    told.add_argument("id", metavar="ID", help="an inbox id, or a unique start of one")
    _site(told)
    reject = actions.add_parser("reject", help="move to inbox/rejected/ (restore undoes it)")
    reject.add_argument("ids", nargs="*", metavar="ID")
    reject.add_argument("--flagged", action="store_true", help="reject every flagged one")
    _site(reject)
    restore = actions.add_parser("restore", help="bring a rejected (or un-accepted) one back")
    restore.add_argument("id", metavar="ID", help="an inbox id, or a unique start of one")
    _site(restore)


def _site(parser: argparse.ArgumentParser) -> None:
    """--site and -q on `inbox` and on each action, without defaults: a value given before
    (`--site X inbox accept ID`, `inbox --site X accept ID`) is never hidden by one after."""
    parser.add_argument("--site", type=Path, default=argparse.SUPPRESS, help="the site's folder")
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print errors only"
    )


def run(args: argparse.Namespace, out: Console, err: Console, report: Report) -> int:
    """The action asked for; its modules are imported only now, so that every other
    command starts without them."""
    from .console import run as act

    return act(args, out, err, report)
