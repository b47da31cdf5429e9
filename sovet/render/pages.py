"""The list of pages a site produces (url, template, context), and rendering them.

Each job names the model objects it shows, so later stages can re-render only what a change
touches; contexts hold model objects, and templates only show them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, cast
from urllib.parse import quote

import jinja2

from .. import i18n, urls
from ..letters import signs
from ..markdown import render_editor
from ..model import Advice, Card, Site, TagLink
from . import search
from .cache import Batch, Shared

ATOM = "application/atom+xml"


# Topic and rubric pages list this many times per_page advices per page: compact lists.
LIST_PAGES = 4


@dataclass(frozen=True)
class Alternate:
    """A feed announced in <head> for feed readers to discover."""

    title: str
    url: str
    type: str = "application/rss+xml"


@dataclass(frozen=True)
class Meta:
    """What the <head> says of a page: title, description, canonical URL, card type, feeds."""

    title: str
    description: str
    url: str
    kind: str = "website"
    noindex: bool = False
    feeds: tuple[Alternate, ...] = ()


@dataclass(frozen=True)
class Job:
    url: str
    template: str
    meta: Meta
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    lastmod: dt.date | None = None  # the sitemap's <lastmod>: an advice's newest change
    # What the page is made of when its meta and context follow from it (and from the
    # settings and templates, which every page depends on): a shorter key for the cache.
    made_of: tuple[object, ...] | None = None


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Recent:
    """An advice in "recently discussed": only what the list shows, so the list stays equal
    (and pages showing it are not rendered again) unless a title or a count changes."""

    title: str
    url: str
    comment_count: int


@dataclass(frozen=True)
class Chrome:
    """What every page shows of the whole site; templates see it as `site`."""

    menu: tuple[Link, ...]
    rubrics: tuple[Link, ...]
    recently_discussed: tuple[Recent, ...]


def chrome(site: Site) -> Chrome:
    return Chrome(
        menu=tuple(Link(p.title, p.url) for p in site.menu),
        rubrics=tuple(Link(r.title, r.url) for r in site.rubrics),
        recently_discussed=tuple(
            Recent(a.title, a.url, a.comment_count) for a in site.recently_discussed
        ),
    )


@dataclass(frozen=True)
class Pagination:
    number: int
    total: int
    prev_url: str | None
    next_url: str | None


@dataclass
class PlanMemo:
    """What one process (serve) keeps between plans: each advice's job, and the list pages
    with what they were made of. An advice whose object, neighbours and related cards are
    unchanged keeps its job; lists whose cards, tags and pages are unchanged are kept whole.
    The render cache then finds the same inputs by identity instead of comparing them."""

    advices: dict[str, tuple[tuple[object, ...], Job]] = field(default_factory=dict)
    lists_key: tuple[object, ...] = ()
    lists: tuple[tuple[Job, ...], tuple[Job, ...]] = ((), ())


def plan(site: Site, titles: dict[str, str], memo: PlanMemo | None = None) -> list[Job]:
    """Every page of the site, in a stable order, each announcing the feeds that follow it."""
    name = site.settings.title
    every = (
        Alternate(name, urls.FEED),
        Alternate(titles["atom"] % {"title": name}, urls.ATOM, ATOM),
    )

    def finished(job: Job) -> Job:
        return _with_feeds(job, every + _alternates(site, job, titles))

    memo = memo or PlanMemo()
    kept: dict[str, tuple[tuple[object, ...], Job]] = {}
    advice_jobs = []
    advices = site.advices
    cards = {a.slug: a.card for a in advices}
    for index, advice in enumerate(advices):
        related = tuple([cards[s] for s in site.related.get(advice.slug, ()) if s in cards])
        key = (
            advice,
            advices[index - 1].card if index > 0 else None,
            advices[index + 1].card if index + 1 < len(advices) else None,
            related,
        )
        found = memo.advices.get(advice.slug)
        if found is not None and found[0] == key:
            job = found[1]
        else:
            job = finished(_advice(site, index, related, key))
        kept[advice.slug] = (key, job)
        advice_jobs.append(job)
    memo.advices = kept
    lists_key = _lists_key(site, titles)
    if lists_key != memo.lists_key:
        memo.lists_key = lists_key
        memo.lists = tuple(map(finished, _home(site))), tuple(map(finished, _others(site)))
    home, others = memo.lists
    return [*home, *advice_jobs, *others]


def _lists_key(site: Site, titles: dict[str, str]) -> tuple[object, ...]:
    """What every page but the advices' own is made of (settings and templates aside: they
    make the render cache's epoch). Weeks, topics and rubrics follow from the cards and tags."""
    advices = site.advices
    return (
        tuple([a.card for a in advices]),
        tuple([a.tags for a in advices]),
        site.pages,
        titles,
    )


def _others(site: Site) -> Iterator[Job]:
    """The pages that are neither the home pages nor an advice's."""
    yield from _archive(site)
    yield from _topics(site)
    yield from _subscribe(site)
    yield from _ask(site)
    yield from _search(site)
    for p in site.pages:
        yield Job(p.url, "page.html", Meta(p.title, p.description, p.url), {"page": p})
    yield Job(
        urls.NOT_FOUND,
        "404.html",
        Meta("404", site.settings.description, urls.NOT_FOUND, noindex=True),
        in_sitemap=False,
    )


def _with_feeds(job: Job, feeds: tuple[Alternate, ...]) -> Job:
    """The job with its feeds (built directly: dataclasses.replace is slow over every page)."""
    m = job.meta
    meta = Meta(m.title, m.description, m.url, m.kind, m.noindex, feeds)
    return Job(job.url, job.template, meta, job.context, job.in_sitemap, job.lastmod, job.made_of)


def _alternates(site: Site, job: Job, titles: dict[str, str]) -> tuple[Alternate, ...]:
    """The feeds of what this page lists, after the site's own on every page."""
    name = site.settings.title

    def pair(title: str, page_url: str) -> list[Alternate]:
        return [
            Alternate(title, urls.feed(page_url)),
            Alternate(titles["atom"] % {"title": title}, urls.feed(page_url, atom=True), ATOM),
        ]

    found: list[Alternate] = []
    context = job.context
    if "tag" in context:
        found += pair(f"{name}: {context['tag'].name}", context["tag"].url)
    elif "rubric" in context:
        found += pair(f"{name}: {context['rubric'].title}", urls.rubric(context["rubric"].key))
    elif "advice" in context:
        title = titles["comments_on"] % {"title": context["advice"].title}
        found.append(Alternate(title, urls.comments_feed(context["advice"].url)))
    elif job.template in ("weekly.html", "week.html"):
        found.append(Alternate(site.settings.subscribe["list_name"] or name, urls.WEEKLY_FEED))
    elif job.template == "home.html":
        found.append(Alternate(titles["comments"] % {"site": name}, urls.COMMENTS_FEED))
    return tuple(found)


def _paged(
    first: str, advices: tuple[Advice, ...], per_page: int
) -> Iterator[tuple[str, tuple[Advice, ...], Pagination]]:
    """A list of advices cut into pages: each page's URL, advices and links to its neighbours."""
    chunks = [advices[i : i + per_page] for i in range(0, len(advices), per_page)] or [()]
    for number, chunk in enumerate(chunks, start=1):
        pagination = Pagination(
            number,
            len(chunks),
            urls.paged(first, number - 1) if number > 1 else None,
            urls.paged(first, number + 1) if number < len(chunks) else None,
        )
        yield urls.paged(first, number), chunk, pagination


def _home(site: Site) -> Iterator[Job]:
    settings = site.settings
    for url, chunk, pagination in _paged("/", site.advices, settings.per_page):
        meta = Meta(settings.title, settings.description, url)
        yield Job(url, "home.html", meta, {"advices": _cards(chunk), "pagination": pagination})


def _advice(site: Site, index: int, related: tuple[Card, ...], made_of: tuple[object, ...]) -> Job:
    """An advice's page; what it is made of (MADE_OF: the advice, its neighbours' and related
    advices' cards) is the key plan() keeps its job by, and the render cache's."""
    advice = site.advices[index]
    meta = Meta(advice.title, advice.description, advice.url, kind="article")
    newer = site.advices[index - 1] if index > 0 else None
    older = site.advices[index + 1] if index + 1 < len(site.advices) else None
    context = {
        "advice": advice,
        "related": related,
        "newer": newer.card if newer else None,
        "older": older.card if older else None,
        "share": share_links(advice, site.settings.base_url),
    }
    return Job(advice.url, "advice.html", meta, context, lastmod=advice.lastmod, made_of=made_of)


@dataclass(frozen=True)
class ShareLinks:
    """Share by email, Telegram and VK; copying the link is the page's own URL. Worked out
    when a page shows them: a build that keeps the page from the last one needs none."""

    url: str
    title: str
    base_url: str

    @property
    def link(self) -> str:
        return urls.absolute(self.base_url, self.url)

    @property
    def email(self) -> str:
        return f"mailto:?subject={self._quoted(self.title)}&body={self._quoted(self.link)}"

    @property
    def telegram(self) -> str:
        return (
            f"https://t.me/share/url?url={self._quoted(self.link)}&text={self._quoted(self.title)}"
        )

    @property
    def vk(self) -> str:
        return f"https://vk.com/share.php?url={self._quoted(self.link)}&title={self._quoted(self.title)}"

    @staticmethod
    def _quoted(text: str) -> str:
        return quote(text, safe="")


def share_links(advice: Advice, base_url: str) -> ShareLinks:
    return ShareLinks(advice.url, advice.title, base_url)


def _archive(site: Site) -> Iterator[Job]:
    settings = site.settings
    years = [
        (year, tuple((w.link, _cards(w.advices)) for w in weeks))
        for year, weeks in itertools.groupby(site.weeks, key=lambda w: w.monday.year)
    ]
    yield Job(
        urls.WEEKLY, "weekly.html", Meta("", settings.description, urls.WEEKLY), {"years": years}
    )
    links = [w.link for w in site.weeks]
    for i, week in enumerate(site.weeks):
        context = {
            "week": links[i],
            "advices": _cards(week.advices),
            "newer": links[i - 1] if i > 0 else None,
            "older": links[i + 1] if i + 1 < len(links) else None,
        }
        yield Job(week.url, "week.html", Meta("", settings.description, week.url), context)


def _cards(advices: Iterable[Advice]) -> tuple[Card, ...]:
    return tuple([advice.card for advice in advices])


def _topics(site: Site) -> Iterator[Job]:
    description = site.settings.description
    lists = _topic_lists(site)
    yield Job(urls.TAGS, "tags.html", Meta("", description, urls.TAGS), lists)
    per_page = site.settings.per_page * LIST_PAGES
    for tag in site.tags:
        link = TagLink(tag.name, tag.slug, tag.url)
        for url, chunk, pagination in _paged(tag.url, tag.advices, per_page):
            context = {"tag": link, "count": len(tag.advices), "advices": _cards(chunk)}
            meta = Meta(tag.name, description, url)
            yield Job(url, "tag.html", meta, {**context, "pagination": pagination})
    if site.rubrics:
        yield Job(urls.RUBRICS, "rubrics.html", Meta("", description, urls.RUBRICS), lists)
    for rubric in site.rubrics:
        meta_about = rubric.settings.about or description
        for url, chunk, pagination in _paged(rubric.url, rubric.advices, per_page):
            context = {
                "rubric": rubric.settings,
                "count": len(rubric.advices),
                "advices": _cards(chunk),
            }
            meta = Meta(rubric.title, meta_about, url)
            yield Job(url, "rubric.html", meta, {**context, "pagination": pagination})


def _topic_lists(site: Site) -> dict[str, object]:
    return {
        "tags": tuple(t.link for t in site.tags),
        "rubrics": tuple(r.link for r in site.rubrics),
    }


RECENT = "partials/recent.html"


def _recent_part(env: jinja2.Environment, shown: Chrome) -> Shared | None:
    """The recently-discussed list as every page shows it; None if the theme's partial needs
    more than the site's chrome (then pages showing it depend on it in full)."""
    try:
        html = env.get_template(RECENT).render(site=shown).encode("utf-8")
    except jinja2.TemplateError:
        return None
    return Shared(shown.recently_discussed, html)


_REFERENCE = re.compile(r"{%-?\s*(?:extends|include|import|from)\s+(?:([\"'])(.*?)\1)?")


def recent_use(env: jinja2.Environment, name: str) -> str:
    """How a template shows the recently-discussed list: "partial" (only by including
    partials/recent.html), "direct" (some other way, or it cannot be told) or "none"."""
    seen: set[str] = set()
    todo = [name]
    found = "none"
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current == RECENT:
            found = "partial"
            continue
        try:
            source = env.loader.get_source(env, current)[0] if env.loader else ""
        except jinja2.TemplateError:
            return "direct"
        if "recently_discussed" in source:
            return "direct"
        for match in _REFERENCE.finditer(source):
            if match.group(2) is None:
                return "direct"  # a template named at render time
            todo.append(match.group(2))
    return found


def _subscribe(site: Site) -> Iterator[Job]:
    description = site.settings.description
    lists = _topic_lists(site)
    yield Job(urls.SUBSCRIBE, "subscribe.html", Meta("", description, urls.SUBSCRIBE), lists)
    for url, template in (
        (urls.SUBSCRIBE_CONFIRM, "subscribe_confirm.html"),
        (urls.SUBSCRIBE_WELCOME, "subscribe_welcome.html"),
    ):
        yield Job(url, template, Meta("", description, url, noindex=True), in_sitemap=False)


def _ask(site: Site) -> Iterator[Job]:
    """The ask page, when the column takes letters (a form service or an address)."""
    settings = site.settings
    if not settings.takes_letters:
        return
    about = str(settings.letters["about"])
    published = next((a for a in site.advices if not (a.draft or a.scheduled)), None)
    context = {
        "about_html": render_editor(about, settings.language, settings.typography).html
        if about.strip()
        else "",
        "mailto": signs.ask_mailto(settings) if settings.letters["address"] else "",
        "consent": signs.consent_line(settings),
        # the form's time for the spam check: the newest advice's moment, the same each build
        "built": i18n.iso(published.when) if published else "",
        "rubrics": settings.rubrics,
    }
    yield Job(urls.ASK, "ask.html", Meta("", settings.description, urls.ASK), context)


def _search(site: Site) -> Iterator[Job]:
    """The search page; its index is added by the build (render/search.py), not by a template."""
    if site.settings.search["enabled"]:
        meta = Meta("", site.settings.description, urls.SEARCH, noindex=True)
        context = {**_topic_lists(site), "index_parts": tuple(search.part_urls(site))}
        yield Job(urls.SEARCH, "search.html", meta, context, in_sitemap=False)


def render(env: jinja2.Environment, site: Site, jobs: list[Job], batch: Batch) -> None:
    """Every job plus the sitemap and robots.txt, asked of the batch (keys are their URLs).

    The recently-discussed list is not among a page's inputs when its template shows it only
    through partials/recent.html: it changes with every new comment, and is put into the
    kept pages instead of rendering them again (see render/cache.py)."""
    shown = chrome(site)
    state = batch.cache.state
    previous = state.get("chrome")
    if isinstance(previous, Chrome) and previous == shown:
        shown = previous  # the same object: every page's inputs compare by identity
    state["chrome"] = shown
    without = replace(shown, recently_discussed=())
    kept = state.get("chrome_without")
    if isinstance(kept, Chrome) and kept == without:
        without = kept
    state["chrome_without"] = without
    recent = _recent_part(env, shown)
    state["shared"] = recent.html if recent else b""
    uses = cast(dict[str, str], state.setdefault("recent_use", {}))
    shared = {"site": shown}
    for job in jobs:

        def make(job: Job = job) -> bytes:
            template = env.get_template(job.template)
            return template.render(shared, meta=job.meta, **job.context).encode("utf-8")

        use = uses.get(job.template) or uses.setdefault(job.template, recent_use(env, job.template))
        page = shown if use == "direct" or recent is None else without
        part = recent if use == "partial" else None
        made_of = job.made_of or (job.meta, job.context)
        batch.want(job.url, (page, job.template, made_of), make, part)
    entries = tuple([(job.url, job.lastmod) for job in jobs if job.in_sitemap])

    def sitemap() -> bytes:
        return env.get_template("sitemap.xml").render(shared, pages=entries).encode("utf-8")

    def robots() -> bytes:
        return env.get_template("robots.txt").render(shared).encode("utf-8")

    batch.want(urls.SITEMAP, entries, sitemap)
    batch.want(urls.ROBOTS, (), robots)
