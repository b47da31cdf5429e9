"""The list of pages a site produces (url, template, context), and rendering them.

Each job names the model objects it shows, so later stages can re-render only what a change
touches; contexts hold model objects, and templates only show them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

import jinja2

from .. import urls
from ..model import Advice, Site, Week

ATOM = "application/atom+xml"


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


@dataclass(frozen=True)
class Pagination:
    number: int
    total: int
    prev_url: str | None
    next_url: str | None


def plan(site: Site, titles: dict[str, str]) -> list[Job]:
    """Every page of the site, in a stable order, each announcing the feeds that follow it."""
    jobs = [
        *_home(site),
        *(_advice(site, index) for index in range(len(site.advices))),
        *_archive(site),
        *_topics(site),
        *_subscribe(site),
        *(
            Job(p.url, "page.html", Meta(p.title, p.description, p.url), {"page": p})
            for p in site.pages
        ),
        Job(
            urls.NOT_FOUND,
            "404.html",
            Meta("404", site.settings.description, urls.NOT_FOUND, noindex=True),
            in_sitemap=False,
        ),
    ]
    return [
        replace(job, meta=replace(job.meta, feeds=_alternates(site, job, titles))) for job in jobs
    ]


def _alternates(site: Site, job: Job, titles: dict[str, str]) -> tuple[Alternate, ...]:
    """The site's feeds on every page, plus the feeds of what this page lists."""
    name = site.settings.title

    def pair(title: str, page_url: str) -> list[Alternate]:
        return [
            Alternate(title, urls.feed(page_url)),
            Alternate(titles["atom"] % {"title": title}, urls.feed(page_url, atom=True), ATOM),
        ]

    found = [
        Alternate(name, urls.FEED),
        Alternate(titles["atom"] % {"title": name}, urls.ATOM, ATOM),
    ]
    context = job.context
    if "tag" in context:
        found += pair(f"{name}: {context['tag'].name}", context["tag"].url)
    elif "rubric" in context:
        found += pair(f"{name}: {context['rubric'].title}", context["rubric"].url)
    elif "advice" in context:
        title = titles["comments_on"] % {"title": context["advice"].title}
        found.append(Alternate(title, urls.comments_feed(context["advice"].url)))
    elif job.template in ("weekly.html", "week.html"):
        found.append(Alternate(site.settings.subscribe["list_name"] or name, urls.WEEKLY_FEED))
    elif job.template == "home.html":
        found.append(Alternate(titles["comments"] % {"site": name}, urls.COMMENTS_FEED))
    return tuple(found)


def _home(site: Site) -> Iterator[Job]:
    settings = site.settings
    chunks = [
        site.advices[i : i + settings.per_page]
        for i in range(0, len(site.advices), settings.per_page)
    ] or [()]
    for number, chunk in enumerate(chunks, start=1):
        pagination = Pagination(
            number,
            len(chunks),
            urls.home(number - 1) if number > 1 else None,
            urls.home(number + 1) if number < len(chunks) else None,
        )
        url = urls.home(number)
        meta = Meta(settings.title, settings.description, url)
        yield Job(url, "home.html", meta, {"advices": chunk, "pagination": pagination})


def _advice(site: Site, index: int) -> Job:
    advice = site.advices[index]
    meta = Meta(advice.title, advice.description, advice.url, kind="article")
    newer = site.advices[index - 1] if index > 0 else None
    older = site.advices[index + 1] if index + 1 < len(site.advices) else None
    context = {
        "advice": advice,
        "related": site.related.get(advice.slug, ()),
        "newer": newer,
        "older": older,
        "share": share_links(advice, site.settings.base_url),
    }
    return Job(advice.url, "advice.html", meta, context)


def share_links(advice: Advice, base_url: str) -> dict[str, str]:
    """Share by email, Telegram and VK; copying the link is the page's own URL."""
    link = urls.absolute(base_url, advice.url)
    url, title = quote(link, safe=""), quote(advice.title, safe="")
    return {
        "email": f"mailto:?subject={title}&body={url}",
        "telegram": f"https://t.me/share/url?url={url}&text={title}",
        "vk": f"https://vk.com/share.php?url={url}&title={title}",
        "link": link,
    }


def _archive(site: Site) -> Iterator[Job]:
    settings = site.settings
    years = [
        (year, tuple(weeks))
        for year, weeks in itertools.groupby(site.weeks, key=lambda w: w.monday.year)
    ]
    yield Job(
        urls.WEEKLY, "weekly.html", Meta("", settings.description, urls.WEEKLY), {"years": years}
    )
    for newer, week, older in _neighbours(site.weeks):
        meta = Meta("", settings.description, week.url)
        yield Job(week.url, "week.html", meta, {"week": week, "newer": newer, "older": older})


def _neighbours(weeks: tuple[Week, ...]) -> Iterator[tuple[Week | None, Week, Week | None]]:
    for i, week in enumerate(weeks):
        yield (
            weeks[i - 1] if i > 0 else None,
            week,
            weeks[i + 1] if i + 1 < len(weeks) else None,
        )


def _topics(site: Site) -> Iterator[Job]:
    description = site.settings.description
    yield Job(urls.TAGS, "tags.html", Meta("", description, urls.TAGS))
    for tag in site.tags:
        yield Job(tag.url, "tag.html", Meta(tag.name, description, tag.url), {"tag": tag})
    if site.rubrics:
        yield Job(urls.RUBRICS, "rubrics.html", Meta("", description, urls.RUBRICS))
    for rubric in site.rubrics:
        about = rubric.settings.about or description
        meta = Meta(rubric.title, about, rubric.url)
        yield Job(rubric.url, "rubric.html", meta, {"rubric": rubric})


def _subscribe(site: Site) -> Iterator[Job]:
    description = site.settings.description
    yield Job(urls.SUBSCRIBE, "subscribe.html", Meta("", description, urls.SUBSCRIBE))
    for url, template in (
        (urls.SUBSCRIBE_CONFIRM, "subscribe_confirm.html"),
        (urls.SUBSCRIBE_WELCOME, "subscribe_welcome.html"),
    ):
        yield Job(url, template, Meta("", description, url, noindex=True), in_sitemap=False)


def render(
    env: jinja2.Environment,
    site: Site,
    jobs: list[Job],
    tick: Callable[[int], None] = lambda count: None,
) -> dict[PurePosixPath, bytes]:
    """HTML of every job plus the sitemap and robots.txt."""
    files: dict[PurePosixPath, bytes] = {}
    shared = {"site": site}
    for job in jobs:
        template = env.get_template(job.template)
        html = template.render(shared, meta=job.meta, **job.context)
        files[urls.output_path(job.url)] = html.encode("utf-8")
        tick(1)
    sitemap = env.get_template("sitemap.xml").render(
        shared, pages=[job for job in jobs if job.in_sitemap]
    )
    files[urls.output_path(urls.SITEMAP)] = sitemap.encode("utf-8")
    robots = env.get_template("robots.txt").render(shared)
    files[urls.output_path(urls.ROBOTS)] = robots.encode("utf-8")
    return files
