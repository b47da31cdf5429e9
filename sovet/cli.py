"""The command line: python build.py [build|serve|new|check] with exit codes and terminal output.

A user's mistake ends as `path:line: message` lines and exit 1, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from . import __version__
from .problems import BuildFailed, Problem, Problems, display_path, in_order
from .safe_files import UnsafePath

if TYPE_CHECKING:  # Rich is imported once something is shown: a quiet build shows nothing
    from rich.console import Console

    from .assemble import Options
    from .progress import Stages
    from .settings import Settings

COMMANDS = ("build", "serve", "new", "check", "inbox", "init", "deploy", "import")


CORE = ("build", "serve", "new", "check")  # parsed without the other commands' modules


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; for a CORE COMMAND without the other commands, so that a
    build does not import the inbox, deploy and import modules to read its own options."""
    invoked = Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(
        prog="python build.py" if invoked == "build.py" else "sovet",
        description="sovet: a static site generator for a weekly advice column",
    )
    parser.add_argument("--version", action="version", version=f"sovet {__version__}")
    _site_options(parser)  # also before the command: `build.py --site X check`
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_cmd = commands.add_parser("build", help="build the site into output/ (the default)")
    _site_options(build_cmd)
    _content_options(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: SITE/output)")
    build_cmd.add_argument(
        "--no-cache", action="store_true", help="ignore and do not write SITE/.sovet-cache"
    )
    build_cmd.add_argument(
        "--jobs", type=int, help="processes to render on (default: the machine's cores)"
    )
    build_cmd.add_argument(
        "--allow-broken-links",
        action="store_true",
        help="publish even when a body links to a page or anchor the site does not have",
    )
    check_cmd = commands.add_parser(
        "check", help="validate content, settings and internal links without writing"
    )
    _site_options(check_cmd)
    _content_options(check_cmd)
    serve_cmd = commands.add_parser(
        "serve", help="build, serve on 127.0.0.1:8000, rebuild on change, reload the browser"
    )
    _site_options(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--base-url", help="override base_url of site.toml")
    serve_cmd.add_argument(
        "--built", action="store_true", help="serve output/ exactly as built, without building"
    )
    serve_cmd.add_argument("--out", type=Path, help="with --built: the folder (default: output/)")
    new_cmd = commands.add_parser("new", help="scaffold an advice or a comment")
    kinds = new_cmd.add_subparsers(dest="kind", metavar="KIND", required=True)
    advice_cmd = kinds.add_parser("advice", help='new advice "Title" [--author NAME]')
    advice_cmd.add_argument("title")
    advice_cmd.add_argument("--author", help="the asker's signature")
    _site_options(advice_cmd)
    comment_cmd = kinds.add_parser("comment", help="new comment SLUG --author NAME [--reply-to ID]")
    comment_cmd.add_argument("slug")
    comment_cmd.add_argument("--author", required=True, help="the commenter's name")
    comment_cmd.add_argument("--reply-to", help="id of the comment this one answers")
    _site_options(comment_cmd)
    if command in CORE:
        return parser
    from .importers import commands as import_commands
    from .inbox import commands as inbox_commands
    from .publishing import commands as publishing_commands

    inbox_commands.add_parser(commands)
    publishing_commands.add_parsers(commands)
    import_commands.add_parser(commands)
    return parser


def _site_options(parser: argparse.ArgumentParser) -> None:
    """--site, -q and -v, given before the command or after it: no default here, so that one
    given before is not overwritten by the command's own (see GLOBAL_DEFAULTS)."""
    hidden = argparse.SUPPRESS
    parser.add_argument(
        "--site", type=Path, default=hidden, help="the site's folder (default: this folder)"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=hidden, help="print errors only"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=hidden, help="print each stage's time"
    )


GLOBAL_DEFAULTS = {"site": Path("."), "quiet": False, "verbose": False}
_FLAGS = {"-q", "--quiet", "-v", "--verbose"}


def _with_command(words: list[str]) -> list[str]:
    """WORDS with `build` put in where no command follows the options that may go first."""
    index = _command_at(words)
    if index < len(words) and words[index] in (*COMMANDS, "-h", "--help", "--version"):
        return words
    return [*words[:index], "build", *words[index:]]


def _command_at(words: list[str]) -> int:
    """Where the command is in WORDS: after the options that may go before it."""
    index = 0
    while index < len(words):
        word = words[index]
        if word in _FLAGS or word.startswith("--site="):
            index += 1
        elif word == "--site" and index + 1 < len(words):
            index += 2
        else:
            break
    return index


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true", help="include drafts")
    parser.add_argument("--future", action="store_true", help="include scheduled advices")
    parser.add_argument("--base-url", help="override base_url of site.toml")
    parser.add_argument(
        "--clock",
        type=_clock,
        help="build as if it were this moment (YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
    )


def _clock(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r}") from None


def program() -> int:
    """`sovet` as a command: one process for one command, which ends with it, without
    freeing what the command made (see `parallel.keep_until_exit`) or the modules it used:
    0.35 s at the end of a 10 000-advice build. Every file and child process is closed by
    then; only the output streams are flushed."""
    from .parallel import hold_until_exit

    hold_until_exit()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone, a stream closed
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    words = _with_command(list(sys.argv[1:] if argv is None else argv))
    at = _command_at(words)
    args = _parser(words[at] if at < len(words) else None).parse_args(words)
    for name, default in GLOBAL_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    quiet_path = args.command in ("build", "check")
    out = _console(quiet_path, highlight=False, soft_wrap=True)
    err = _console(quiet_path, stderr=True, highlight=False, soft_wrap=True)
    try:
        if args.command == "new":
            return _new(args, out, err)
        if args.command == "import":
            from .importers import commands as import_commands

            return import_commands.run(args, out, err)
        if args.command in ("init", "deploy") or (args.command == "serve" and args.built):
            from .publishing import commands as publishing_commands

            return publishing_commands.run(args, out, err)
        if args.command == "serve":
            from .serve import serve

            return serve(args.site, args.host, args.port, args.base_url, out, err)
        if args.command == "check":
            return _check(args, out, err)
        if args.command == "inbox":
            from .inbox import commands as inbox_commands

            return inbox_commands.run(args, out, err, report)
        return _build(args, out, err)
    except BuildFailed as failed:
        report(failed.problems, err, written=args.command == "build")  # check never writes
        return 1
    except UnsafePath as refused:
        shown = display_path(refused.path, args.site)
        report([Problem(shown, 1, refused.reason)], err, written=False)
        return 1
    except KeyboardInterrupt:
        return 130


def _console(deferred: bool, **options: Any) -> Console:
    """A Rich console; DEFERRED: made when first used (see `_Deferred`)."""
    if deferred:
        return cast("Console", _Deferred(**options))
    from rich.console import Console

    return Console(**options)


class _Deferred:
    """A Rich console made when first used, for `build` and `check`: importing Rich is a
    twentieth of a quiet build that publishes one comment. Its methods are the console's;
    what Rich itself is given (a progress bar's console) is the console `made`."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def made(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made(), name)


def _options(args: argparse.Namespace) -> Options:
    from . import parallel
    from .assemble import Options

    jobs = getattr(args, "jobs", None) or parallel.default_jobs()
    return Options(drafts=args.drafts, future=args.future, now=args.clock, jobs=max(1, jobs))


def _stages(args: argparse.Namespace, console: Console) -> Stages:
    from .progress import Bar, Silent, Verbose

    if args.quiet:
        return Silent()
    if isinstance(console, _Deferred):
        console = console.made()
    if args.verbose:
        return Verbose(console)
    return Bar(console) if console.is_terminal else Silent()


def _build(args: argparse.Namespace, out: Console, err: Console) -> int:
    started = time.perf_counter()
    shown = args.out if args.out is not None else args.site / "output"
    # One build cache, however the folders are written on the command line.
    site, target = args.site.resolve(), shown.resolve()
    disk = None
    if not args.no_cache:  # the folders are walked while the builder is imported
        from .diskcache import DiskCache, Target

        disk = DiskCache(site)
        options = (args.drafts, args.future, args.clock, args.base_url, args.allow_broken_links)
        disk.stamp_ahead(Target(target, *options))
    stages = _stages(args, err)
    try:
        from .pipeline import build

        summary = build(
            site,
            target,
            _options(args),
            args.base_url,
            stages,
            use_cache=not args.no_cache,
            allow_broken_links=args.allow_broken_links,
            checked=disk,
        )
    finally:
        stages.close()
        if disk:
            disk.drop_ahead()
    if summary.broken_links and not summary.fresh and not args.quiet:
        report(summary.broken_links, err, written=None)
    for note in summary.notes if not args.quiet else ():
        err.print(note, style="yellow", markup=False)
    if not args.quiet and summary.fresh:
        seconds = time.perf_counter() - started
        out.print(f"Nothing changed since the last build of {shown} ({seconds:.2f} s)")
    elif not args.quiet:
        out.print(
            f"Built {_count(summary.pages, 'page')} ({_count(summary.advices, 'advice')}, "
            f"{_count(summary.comments, 'comment')}) into {shown} in {summary.seconds:.2f} s"
        )
    return 0


def _check(args: argparse.Namespace, out: Console, err: Console) -> int:
    from . import links
    from .pipeline import load_site, render_site

    options = _options(args)
    site, theme = load_site(args.site, options, args.base_url)
    files = render_site(site, theme, jobs=options.jobs, search=False)
    problems, _ = links.check_links(site, links.in_memory(files))
    if problems:
        report(in_order(problems), err, written=False)
        return 1
    if not args.quiet:
        out.print(
            f"No problems: {len(site.advices)} advices, {site.comment_total()} comments, "
            f"{len(site.pages)} pages, every internal link resolves."
        )
    return 0


def site_settings(site: Path, err: Console) -> Settings | None:
    """The site's settings, or None with every mistake in them reported."""
    from .settings import load_settings

    problems = Problems()
    settings = load_settings(site, problems)
    if settings is None:
        report(problems.sorted(), err, written=False)
    return settings


def _new(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .scaffold import ScaffoldError, new_advice, new_comment

    settings = site_settings(args.site, err)
    if settings is None:
        return 1
    try:
        if args.kind == "advice":
            created = new_advice(settings, args.title, args.author)
        else:
            created = new_comment(settings, args.slug, args.author, args.reply_to)
    except ScaffoldError as error:
        report([error.problem], err, written=False)
        return 1
    for path in created.paths:
        out.print(str(path))
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def report(problems: Sequence[Problem], console: Console, written: bool | None = True) -> None:
    """Every problem on its own line, then a count: an editor fixes them all in one pass.

    WRITTEN: whether the site stayed unwritten because of them (True), nothing was to be
    written (False), or it was published anyway (None: --allow-broken-links)."""
    from rich.text import Text

    for problem in problems:
        console.print(
            Text.assemble((f"{problem.path}:{problem.line}:", "bold"), " ", problem.message)
        )
    noun = "problem" if len(problems) == 1 else "problems"
    tail = {True: "; nothing was written.", False: ".", None: "; published anyway."}[written]
    console.print(Text(f"{len(problems)} {noun}{tail}", style="red"))
