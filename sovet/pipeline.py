"""A build: load -> validate -> model -> render -> write, data flowing one way.

Every user mistake up to rendering is collected as a Problem; if there is any, nothing is
written and the previous output stays as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TypeVar

import jinja2

from . import __version__, i18n, links, parallel, urls
from .assemble import AssembleCache, Assembly, Options, body_renderer
from .bodies import BodyStoreError, InMemory, Segments, scratch
from .content.loader import AdviceFiles, LoadCache, load_content
from .diskcache import Column, DiskCache, Saved, Target
from .model import Site
from .output import Sink, UnsafeOutput, check_out_dir, locked, staged
from .problems import BuildFailed, Problem, Problems, display_path, in_order
from .progress import Silent, Stages
from .render import feeds, letters, pages, redirects
from .render.cache import Kept, Made, RenderCache, fingerprint
from .render.search import BUNDLE, Indexer
from .render.theme import (
    Assets,
    CompiledTemplates,
    Theme,
    collect_assets,
    environment,
    find_theme,
)
from .settings import Settings, load_settings
from .summary import Summary

SILENT = Silent()


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
    stages.stage("Reading content" + (" and rendering Markdown" if options.jobs > 1 else ""))
    settings = load_settings(root, problems, base_url)
    if settings is None:
        raise BuildFailed(problems.sorted())
    theme = find_theme(settings, problems)
    caches = caches or Caches()
    prepare = body_renderer(settings, caches.assemble) if options.jobs > 1 else None
    assembly = Assembly(settings, options, problems, caches.assemble)
    files = load_content(root, problems, caches.load, options.jobs, prepare, assembly.add)
    stages.stage("Assembling the column", total=len(files.advices))
    site = assembly.site(files)
    if problems or theme is None:
        raise BuildFailed(problems.sorted())
    return site, theme


def render_site(
    site: Site,
    theme: Theme,
    stages: Stages = SILENT,
    cache: RenderCache | None = None,
    jobs: int = 1,
    search: bool = True,
) -> dict[PurePosixPath, bytes]:
    """Every output file in memory, keyed by its path in the output folder (see render_into)."""
    files: dict[PurePosixPath, bytes] = {}
    render_into(files.__setitem__, site, theme, stages, cache, jobs, search)
    return files


Linker = Callable[[PurePosixPath, Path | str], None]  # puts a file of the last build in place

# Pages, letters and feeds a rendering worker makes before a new one takes its place (see
# parallel.each): the workers of a 10 000-advice build held 330 MB each when they lived on.
RENEWED = 1024


def render_into(
    sink: Sink,
    site: Site,
    theme: Theme,
    stages: Stages = SILENT,
    cache: RenderCache | None = None,
    jobs: int = 1,
    search: bool = True,
    link: Linker | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> None:
    """Every output file handed to SINK by its path in the output folder, as soon as it is made.

    With a cache from an earlier build, only pages whose inputs changed are rendered; the
    rest is rendered on `jobs` processes; an output kept from the last build's folder is given
    to LINK (or read and given to SINK). The search index is made when the settings enable it
    and `search` allows it (serve and check pass False: rebuilds stay fast); Pagefind indexes
    on its own process while the pages are rendered; MEANWHILE runs once every other file is
    made, before the index is waited for.
    """
    settings = site.settings
    cache = cache or RenderCache(keep=False)
    indexer = None
    if settings.search["enabled"] and search:
        lock = threading.Lock()  # the index's files come from the indexer's threads
        date = partial(i18n.date, language=settings.language)
        previous = cache.previous
        reuse = None
        if link is not None and previous is not None:
            reuse = partial(_reuse, link, lock, previous.folder)
        sink, link = _locked(sink, lock), _locked(link, lock) if link else None
        kept = previous.search if previous else None
        indexer = Indexer.start(site, date, jobs, sink, kept, reuse)
    try:
        _render_files(sink, site, theme, stages, cache, jobs, link)
    except BaseException:
        if indexer:
            indexer.close()
        raise
    if meanwhile is not None:
        meanwhile()
    if indexer:
        stages.stage("Waiting for the search index")
        indexer.finish()
        cache.search = indexer.made


T = TypeVar("T")


def _locked(
    write: Callable[[PurePosixPath, T], None], lock: threading.Lock
) -> Callable[[PurePosixPath, T], None]:
    """WRITE for more than one thread: one file at a time."""

    def locked(path: PurePosixPath, data: T) -> None:
        with lock:
            write(path, data)

    return locked


def _reuse(link: Linker, lock: threading.Lock, folder: Path, paths: list[PurePosixPath]) -> None:
    """A part of the last build's index put in place under one hold of the lock: the build's
    thread waits on it less often than once a file."""
    with lock:
        for path in paths:
            link(path, folder.joinpath(*path.parts))


def _render_files(
    sink: Sink,
    site: Site,
    theme: Theme,
    stages: Stages,
    cache: RenderCache,
    jobs: int,
    link: Linker | None = None,
) -> None:
    settings = site.settings
    assets = collect_assets(theme, settings.root / "static")
    rules = redirects.redirect_files(site)
    for path, data in assets.files.items():
        if path not in rules:
            sink(path, data)
    for path, data in rules.items():  # a site's own _redirects or .htaccess comes first
        sink(path, assets.files[path] + b"\n" + data if path in assets.files else data)
    cache.start(_epoch(settings, theme, assets))
    env = cache.state.get("env")
    if not isinstance(env, jinja2.Environment):
        env = cache.state["env"] = environment(theme, settings, assets, cache.templates)
    language = settings.language
    titles = feeds.feed_titles(i18n.translations(theme.locale_dirs, language).gettext)
    planned = pages.plan(site, titles, cache.memo("plan", pages.PlanMemo))
    weekly = feeds.weekly_feed_weeks(site)
    wanted_letters = {urls.letter(week.url, "html") for week in weekly}
    letters_made: dict[str, bytes] = {}
    keys: set[str] = set()

    def output(key: str, made: Made) -> None:
        """Each output goes on to the sink at once; only the weekly feed's letters stay."""
        keys.add(key)
        path = urls.output_path(key)
        if isinstance(made, Kept):
            if link is not None and key not in wanted_letters:
                link(path, made.path)
                return
            made = made.read()
        if key in wanted_letters:
            letters_made[key] = made
        sink(path, made)

    def guarded(make: Callable[[], bytes]) -> bytes | Problem:
        """A template mistake comes back as a Problem, so it crosses processes intact."""
        try:
            return make()
        except jinja2.TemplateError as error:
            return _template_problem(error, theme, settings)

    compiled = False

    def runner(work: list[Callable[[], bytes]]) -> Iterator[bytes]:
        nonlocal compiled
        if not compiled and parallel.forks(len(work), jobs):
            _compile_templates(env)
            compiled = True
        for made in parallel.each([partial(guarded, make) for make in work], jobs, RENEWED):
            if isinstance(made, Problem):
                raise BuildFailed([made])
            yield made

    stages.stage("Rendering pages and letters")
    batch = cache.batch(output)
    pages.render(env, site, planned, batch)
    letters.want_letters(env, site, batch)
    batch.run(runner)
    stages.stage("Writing feeds")
    spans = {w.url: i18n.day_range(w.monday, w.sunday, language) for w in weekly}
    bodies = letters.letter_bodies(weekly, letters_made)
    planned_feeds = feeds.plan_feeds(site, titles, bodies, spans, cache.memo("advice_feeds", dict))
    feeds.want_feeds(site, planned_feeds, batch)
    batch.run(runner)
    cache.keep_only(keys)


def _compile_templates(env: jinja2.Environment) -> None:
    """Every template compiled before the first worker is forked: the workers (a new one
    every RENEWED pages) get them with the rest of the build's memory instead of compiling
    each again. A build that makes a few pages in its own process compiles only the
    templates they use. A template with a mistake is left for the page that uses it."""
    for name in env.list_templates():
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


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
    use_cache: bool = True,
    allow_broken_links: bool = False,
    checked: DiskCache | None = None,
) -> Summary:
    """Build the site at ROOT into OUT; raises BuildFailed and leaves OUT untouched on error.

    A link in a body to a page or anchor the site does not have is an error too, unless
    ALLOW_BROKEN_LINKS: then the site is published and the summary lists them. CHECKED: the
    build cache the caller has just asked whether anything changed.
    With the build cache (SITE/.sovet-cache), a build whose inputs and output are as the last
    build left them does nothing, and unchanged bodies are not rendered again.
    """
    started = time.perf_counter()
    try:
        check_out_dir(out, root)
    except UnsafeOutput as error:
        raise BuildFailed([_argument_problem(str(error))]) from None
    disk = (checked or DiskCache(root)) if use_cache else None
    saved = disk.load() if disk else Saved()
    try:
        with locked(out), _body_store(disk, out) as (segments, in_cache), parallel.holding():
            caches = Caches(assemble=AssembleCache(keeper=segments))
            if disk and in_cache:
                # Read while the stamps are taken (`DiskCache.stamp_ahead`); if they say
                # nothing changed, it was read for nothing, and the build ends at once.
                _from_last_build(disk, caches, root, base_url, options)
                parallel.settle()  # the kept column lives as long as the build
            target = Target(
                out, options.drafts, options.future, options.now, base_url, allow_broken_links
            )
            stamp = disk.build_stamp(target) if disk else b""
            if (
                disk
                and isinstance(saved.summary, Summary)
                and disk.still_fresh(saved, stamp, out, options.now)
            ):
                parallel.keep_until_exit(caches)
                return replace(saved.summary, seconds=time.perf_counter() - started, fresh=True)
            site, theme = load_site(root, options, base_url, stages, caches)
            parallel.settle()  # and so does the site
            column = _column(caches) if disk and in_cache else None
            caches.load = LoadCache()  # its documents serve a next build; this process makes none
            kept = RenderCache(keep=False, records=disk is not None)
            kept.templates = CompiledTemplates(disk.templates()) if disk else None
            kept.previous = disk.previous(saved, out) if disk else None
            with staged(out) as staging:
                found: list[tuple[list[Problem], list[links.Link]]] = []
                hints = links.Hints(saved.hints if isinstance(saved.hints, dict) else None)

                def check_pages() -> None:
                    """The links, checked while Pagefind still writes the index (links into
                    it wait), then the rendered bodies and the column kept for the next
                    build: neither depends on the index or on the links being sound.
                    Copying the set of written files is one step for the threads that add
                    to it."""
                    stages.stage("Checking internal links")
                    written = links.on_disk(staging.folder, set(staging.written), hints)
                    found.append(links.check_links(site, written, f"/{BUNDLE}/"))
                    if disk and in_cache:
                        key = (site.settings.language, site.settings.typography)
                        disk.save_bodies(key, caches.assemble.bodies, segments)
                    if disk and column is not None:
                        disk.save_model(column)

                render_into(
                    staging.write,
                    site,
                    theme,
                    stages,
                    kept,
                    options.jobs,
                    link=staging.link,
                    meanwhile=check_pages,
                )
                broken, later = found[0]
                if later:
                    written = links.on_disk(staging.folder, staging.written, hints)
                    broken += links.check_these(site, written, later)
                if broken and not allow_broken_links:
                    raise BuildFailed(in_order(broken))
                stages.stage("Putting the new site in place")
            stages.close()
            summary = _summary(site, staging.written, time.perf_counter() - started)
            notes = (disk.refused,) if disk and disk.refused else ()
            summary = replace(summary, broken_links=tuple(in_order(broken)), notes=notes)
            if disk:
                shared = kept.state.get("shared")
                disk.save_previous(
                    kept.index, shared if isinstance(shared, bytes) else b"", kept.search
                )
                if kept.templates and kept.templates.changed:
                    disk.save_templates(kept.templates.code)
                output = disk.output_stamp(out, staging.listing)
                disk.save(Saved(stamp, output, site.next_scheduled, summary, hints.made))
            parallel.keep_until_exit(site, caches, kept, column, staging)
    except (UnsafeOutput, BodyStoreError) as error:
        raise BuildFailed([_argument_problem(str(error))]) from None
    return summary


def _from_last_build(
    disk: DiskCache, caches: Caches, root: Path, base_url: str | None, options: Options
) -> None:
    """What the last build left that this one can use: rendered bodies, and the assembled
    column with each folder's stamp (an unchanged folder is neither read nor assembled)."""
    caches.assemble.bodies = disk.bodies(_body_key(root))
    caches.load = LoadCache(stamps={}, taken=disk.folder_stamps)
    settings = load_settings(root, Problems(), base_url)
    if settings is None:
        return
    kept = disk.model((settings, options.drafts, options.future))
    if kept is None:
        return
    now = options.now or dt.datetime.now(settings.zone)
    now = now.replace(tzinfo=settings.zone) if now.tzinfo is None else now
    advices = kept.assemble.advices
    folders = {}
    for slug, (shown, digest, unreadable) in kept.folders.items():
        cached = advices.get(digest)
        if cached is not None and cached.advice.scheduled == (cached.advice.when.at > now):
            folders[slug] = AdviceFiles(slug, shown, unreadable=set(unreadable), _digest=digest)
    caches.load = LoadCache(folders=folders, stamps=kept.stamps, taken=disk.folder_stamps)
    last = kept.assemble
    assemble = caches.assemble
    assemble.key, assemble.advices, assemble.lists = last.key, last.advices, last.lists
    assemble.related_key, assemble.related = last.related_key, last.related


def _column(caches: Caches) -> Column:
    """This build's assembled column, for the next build (see `_from_last_build`)."""
    load, assemble = caches.load, caches.assemble
    folders = {
        slug: (files.shown, files.digest(), frozenset(files.unreadable))
        for slug, files in load.folders.items()
        if slug in load.made
    }
    stamps = {slug: load.made[slug] for slug in folders}
    return Column(stamps, folders, replace(assemble, keeper=InMemory(), bodies={}))


def _summary(site: Site, written: Collection[PurePosixPath], seconds: float) -> Summary:
    pages = sum(1 for path in written if path.suffix == ".html" and path.name != "email.html")
    return Summary(pages, len(written), len(site.advices), site.comment_total(), seconds)


@contextmanager
def _body_store(disk: DiskCache | None, out: Path) -> Iterator[tuple[Segments, bool]]:
    """Where this build's bodies go: the build cache's segments when it has them to itself,
    else a scratch folder beside the output; and whether they are the cache's."""
    if disk:
        with disk.segments() as segments:
            if segments:
                yield segments, True
                return
    with scratch(out) as segments:
        yield segments, False


def _body_key(root: Path) -> tuple[object, ...]:
    """Language and typography of site.toml as the cached bodies were made with them."""
    problems = Problems()
    settings = load_settings(root, problems)
    return (settings.language, settings.typography) if settings else ()


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
