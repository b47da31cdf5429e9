"""The command line: python build.py [build|serve|new|check] with exit codes and terminal output.

A user's mistake ends as `path:line: message` lines and exit 1, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.text import Text

from .assemble import Options
from .pipeline import build, load_site
from .problems import BuildFailed, Problem

COMMANDS = ("build", "serve", "new", "check")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py", description="sovet: a static site generator for an advice column"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_cmd = commands.add_parser("build", help="build the site into output/ (the default)")
    _site_options(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: SITE/output)")
    check_cmd = commands.add_parser("check", help="validate content without writing anything")
    _site_options(check_cmd)
    return parser


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), help="the site's folder")
    parser.add_argument("--drafts", action="store_true", help="include drafts")
    parser.add_argument("--future", action="store_true", help="include scheduled advices")
    parser.add_argument("--base-url", help="override base_url of site.toml")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes to render on"
    )
    parser.add_argument(
        "--clock",
        type=_clock,
        help="build as if it were this moment (YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    parser.add_argument("-v", "--verbose", action="store_true", help="print more detail")


def _clock(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    options = _options(args)
    try:
        if args.command == "check":
            load_site(args.site, options, args.base_url)
            if not args.quiet:
                out.print("No problems found.")
            return 0
        target = args.out if args.out is not None else args.site / "output"
        summary = build(args.site, target, options, args.base_url)
    except BuildFailed as failed:
        report(failed.problems, err)
        return 1
    if not args.quiet:
        out.print(
            f"Built {summary.pages} pages ({summary.advices} advices, "
            f"{summary.comments} comments) into {target} in {summary.seconds:.2f} s"
        )
    return 0


def _options(args: argparse.Namespace) -> Options:
    return Options(drafts=args.drafts, future=args.future, now=args.clock)


def report(problems: Sequence[Problem], console: Console) -> None:
    """Every problem on its own line, then a count: an editor fixes them all in one pass."""
    for problem in problems:
        console.print(
            Text.assemble((f"{problem.path}:{problem.line}:", "bold"), " ", problem.message),
            soft_wrap=True,
        )
    noun = "problem" if len(problems) == 1 else "problems"
    console.print(f"[red]{len(problems)} {noun}; nothing was written.[/red]")
