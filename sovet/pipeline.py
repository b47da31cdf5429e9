"""A build: load -> validate -> model -> render -> write, data flowing one way.

Every user mistake up to rendering is collected as a Problem; if there is any, nothing is
written and the previous output stays as it was.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jinja2

from . import __version__, i18n
from .assemble import AssembleCache, Options, assemble
from .content.loader import LoadCache, load_content
from .model import Site
from .output import UnsafeOutput, check_out_dir, locked, write_site
from .problems import BuildFailed, Problem, Problems, display_path
from .progress import Silent, Stages
from .render import feeds, letters, pages
from .render.cache import RenderCache, fingerprint
from .render.theme import Assets, Theme, collect_assets, environment, find_theme
from .settings import Settings, load_settings

SILENT = Silent()


@dataclass(frozen=True)
class Summary:
    pages: int
    files: int
    advices: int
    comments: int
    seconds: float


@dataclass
class Caches:
    """What a long-running process (serve) keeps between builds."""

    load: LoadCache = field(default_factory=LoadCache)
    assemble: AssembleCache = field(default_factory=AssembleCache)
    render: RenderCache = field(default_factory=RenderCache)


def load_site(
    root: Path,
    options: Options,
    base_url: str | None = None,
    stages: Stages = SILENT,
    caches: Caches | None = None,
) -> tuple[Site, Theme]:
    """Settings, content and theme checked and assembled; BuildFailed lists every problem."""
    problems = Problems()
    stages.stage("Reading content")
    settings = load_settings(root, problems, base_url)
    if settings is None:
        raise BuildFailed(problems.sorted())
    theme = find_theme(settings, problems)
    caches = caches or Caches()
    files = load_content(root, problems, caches.load)
    stages.stage("Assembling the column", total=len(files.advices))
    site = assemble(settings, files, options, problems, caches.assemble)
    if problems or theme is None:
        raise BuildFailed(problems.sorted())
    return site, theme


def render_site(
    site: Site, theme: Theme, stages: Stages = SILENT, cache: RenderCache | None = None
) -> dict[PurePosixPath, bytes]:
    """Every output file in memory, keyed by its path in the output folder.

    With a cache from an earlier build, only pages whose inputs changed are rendered.
    """
    settings = site.settings
    assets = collect_assets(theme, settings.root / "static")
    cache = cache or RenderCache()
    cache.start(_epoch(settings, theme, assets))
    env = cache.state.get("env")
    if not isinstance(env, jinja2.Environment):
        env = cache.state["env"] = environment(theme, settings, assets)
    language = settings.language
    titles = feeds.feed_titles(i18n.translations(theme.locale_dirs, language).gettext)
    jobs = pages.plan(site, titles)
    stages.stage("Rendering pages", total=len(jobs))
    try:
        files = pages.render(env, site, jobs, cache, stages.advance)
        stages.stage("Writing letters and feeds")
        mail = letters.render_letters(env, site, cache)
    except jinja2.TemplateError as error:
        raise BuildFailed([_template_problem(error, theme, settings)]) from None
    spans = {w.url: i18n.day_range(w.monday, w.sunday, language) for w in site.weeks}
    feed_files = feeds.render_feeds(site, feeds.plan_feeds(site, titles, mail.html, spans), cache)
    everything = {**assets.files, **files, **mail.files, **feed_files}
    cache.keep_only({"/" + path.as_posix() for path in everything} | {job.url for job in jobs})
    return everything


def _epoch(settings: Settings, theme: Theme, assets: Assets) -> bytes:
    """What every page depends on: sovet's version, the settings, templates, strings, assets."""
    sources = []
    for folder in (*theme.template_dirs, *theme.locale_dirs):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                sources.append((path.as_posix(), path.read_bytes()))
    return fingerprint(__version__, settings, sources, assets.urls)


def build(
    root: Path,
    out: Path,
    options: Options,
    base_url: str | None = None,
    stages: Stages = SILENT,
) -> Summary:
    """Build the site at ROOT into OUT; raises BuildFailed and leaves OUT untouched on error."""
    started = time.perf_counter()
    try:
        check_out_dir(out, root)
    except UnsafeOutput as error:
        raise BuildFailed([_argument_problem(str(error))]) from None
    site, theme = load_site(root, options, base_url, stages)
    files = render_site(site, theme, stages)
    stages.stage("Writing the site", total=len(files))
    with locked(out):
        try:
            write_site(out, files)
        except UnsafeOutput as error:
            raise BuildFailed([_argument_problem(str(error))]) from None
    stages.close()
    html = sum(1 for path in files if path.suffix == ".html" and path.name != "email.html")
    return Summary(
        pages=html,
        files=len(files),
        advices=len(site.advices),
        comments=site.comment_total(),
        seconds=time.perf_counter() - started,
    )


def _argument_problem(message: str) -> Problem:
    return Problem("--out", 1, message)


def _template_problem(error: jinja2.TemplateError, theme: Theme, settings: Settings) -> Problem:
    """A template mistake named by its template file and line, like a content mistake."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return Problem(
            display_path(Path(error.filename), settings.root), error.lineno, error.message or ""
        )
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename.endswith((".html", ".xml", ".txt"))
    ]
    if frames:
        frame = frames[-1]
        return Problem(
            display_path(Path(frame.filename), settings.root), frame.lineno or 1, str(error)
        )
    return Problem(f"themes/{theme.name}", 1, str(error))
