"""`sovet init`, `sovet serve --built` and `sovet deploy`: their options and how they run.

A mistake ends as one line saying what to do, and changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.text import Text

from ..settings import Settings
from .plan import DeployError
from .start import LANGUAGES, InitError


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = commands.add_parser("init", help="start a new column in a folder of its own")
    init.add_argument("folder", type=Path, metavar="DIR", help="the new column's folder")
    init.add_argument("--language", choices=LANGUAGES, default="ru", help="ru (default) or en")
    init.add_argument("--title", help="the column's name")
    init.add_argument(
        "--force", action="store_true", help="add to a folder that is not empty (never over a file)"
    )
    deploy = commands.add_parser("deploy", help="send the built site to [deploy] of site.toml")
    deploy.add_argument("--out", type=Path, help="the built site (default: SITE/output)")
    deploy.add_argument("--target", help="an rclone remote path, e.g. s3:bucket/column")
    deploy.add_argument("--repository", help="a git repository to push a branch to")
    deploy.add_argument("--branch", help="the branch (default: [deploy] branch, gh-pages)")
    deploy.add_argument(
        "--dry-run", action="store_true", help="list what would be sent and deleted, send nothing"
    )
    deploy.add_argument(
        "--force", action="store_true", help="delete more than [deploy] max_delete of the remote"
    )
    for parser in (init, deploy):
        parser.add_argument("--site", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS)


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    try:
        if args.command == "init":
            return _init(args, out)
        if args.command == "serve":
            return _serve_built(args, out, err)
        return _deploy(args, out, err)
    except (DeployError, InitError) as error:
        err.print(Text(f"{args.command}: {error}", style="red"))
        return 1


def _init(args: argparse.Namespace, out: Console) -> int:
    from .start import init_column

    started = init_column(args.folder, args.language, args.title, args.force)
    if not args.quiet:
        for path in started.written:
            out.print(Text(f"  {path}"))
        for path in started.kept:
            out.print(Text(f"  {path} (already there, left as it was)"))
        folder = args.folder
        out.print(
            Text(
                f"A new column in {folder}. Next:\n"
                f"  cd {folder}\n"
                "  sovet serve          # write and watch the pages change\n"
                "  sovet build          # the site, into output/\n"
                "  sovet serve --built  # see it as readers will\n"
                "  sovet deploy         # ship it (set [deploy] in site.toml first)"
            )
        )
    return 0


def _serve_built(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .preview import PreviewError, serve_built

    settings = _settings(args, err)
    if settings is None:
        return 1
    folder = args.out if args.out is not None else args.site / "output"
    try:
        return serve_built(folder, settings.base_url, args.host, args.port, out)
    except PreviewError as error:
        err.print(Text(f"serve: {error}", style="red"))
        return 1


def _deploy(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .deploy import deploy, where

    settings = _settings(args, err)
    if settings is None:
        return 1
    folder = args.out if args.out is not None else args.site / "output"
    chosen = where(settings, args.target, args.repository, args.branch)
    console = Console(quiet=True) if args.quiet else out
    return deploy(settings, folder, chosen, args.dry_run, args.force, console)


def _settings(args: argparse.Namespace, err: Console) -> Settings | None:
    from ..cli import site_settings

    return site_settings(args.site, err)
