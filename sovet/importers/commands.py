"""`sovet import wordpress|disqus EXPORT.xml`: the options, the run, the report."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from rich.console import Console
from rich.text import Text

from ..problems import Problem
from .wxr import ExportError


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imported = commands.add_parser("import", help="bring an existing column: WordPress, Disqus")
    sources = imported.add_subparsers(dest="source", metavar="SOURCE", required=True)
    wordpress = sources.add_parser("wordpress", help="WordPress's export (Tools -> Export)")
    wordpress.add_argument("export", type=Path, metavar="EXPORT.xml")
    wordpress.add_argument(
        "--uploads", type=Path, metavar="DIR", help="a copy of wp-content/uploads: images used"
    )
    wordpress.add_argument(
        "--answer-starts",
        metavar="REGEX",
        help="the answer's first paragraph, e.g. the columnist's greeting: ^(Здравствуйте|Марина)",
    )
    disqus = sources.add_parser("disqus", help="Disqus's XML export of the comments")
    disqus.add_argument("export", type=Path, metavar="EXPORT.xml")
    for parser in (wordpress, disqus):
        parser.add_argument("--dry-run", action="store_true", help="write nothing, list it")
        parser.add_argument(
            "--site", type=Path, default=argparse.SUPPRESS, help="the site's folder"
        )
        parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS)


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..cli import report, site_settings

    settings = site_settings(args.site, err)
    if settings is None:
        return 1
    try:
        if args.source == "wordpress":
            from .wordpress import Options, import_wordpress

            pattern = _pattern(args.answer_starts)
            if isinstance(pattern, Problem):
                report([pattern], err, written=False)
                return 1
            options = Options(pattern, args.uploads, args.dry_run)
            done = import_wordpress(settings, args.export, options)
        else:
            from .disqus import import_disqus

            done = import_disqus(settings, args.export, args.dry_run)
    except ExportError as error:
        report([Problem(str(args.export), error.line, str(error))], err, written=False)
        return 1
    if not args.quiet:
        for line in done.lines():
            out.print(Text(line))
    return 0


def _pattern(text: str | None) -> re.Pattern[str] | Problem | None:
    if not text:
        return None
    try:
        return re.compile(text)
    except re.error as error:
        return Problem("--answer-starts", 1, f"not a regular expression: {error}")
