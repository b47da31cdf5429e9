"""Every feed of the site with feedgen: advices (site, tags, rubrics), comments, the weekly letter.

Feeds are deterministic: GUIDs are tag URIs built from the host, the date and the slug (they
survive a change of permalink pattern), and every date comes from the content, never the clock.
"""

from __future__ import annotations

import datetime as dt
import heapq
import html
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from .. import __version__, urls
from ..markdown import summary
from ..model import Advice, Comment, Site, Week, comment_order
from .cache import Batch

_LINK_ATTR = re.compile(r"""(\s(?:href|src)=)(["'])/(?!/)""")


@dataclass(frozen=True)
class Item:
    """One feed entry, independent of the feed format."""

    guid: str
    title: str
    link: str
    author: str
    published: dt.datetime
    updated: dt.datetime
    summary: str
    html: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    """A feed: where it lives (RSS and optionally Atom), what it is about, what it shows.

    `sources` are the model objects its items come from (its fingerprint); `items` makes them.
    """

    rss: str
    atom: str | None
    title: str
    description: str
    page: str
    sources: tuple[object, ...]
    items: Callable[[], tuple[Item, ...]] = field(compare=False)


def absolutize(html: str, base_url: str) -> str:
    """Site-absolute links and images in HTML made absolute on base_url, for feeds and email."""
    return _LINK_ATTR.sub(lambda m: f"{m.group(1)}{m.group(2)}{base_url}", html)


def tag_uri(base_url: str, day: dt.date, path: str) -> str:
    """A stable entry id (RFC 4151): tag:example.org,2026-11-20:advice/slug."""
    host = urlsplit(base_url).hostname or "localhost"
    return f"tag:{host},{day.isoformat()}:{path}"


def advice_item(site: Site, advice: Advice) -> Item:
    settings = site.settings
    base = settings.base_url
    html = ""
    if settings.feeds["full_content"]:
        html = (
            absolutize(advice.question_html, base) + "<hr>" + absolutize(advice.answer_html, base)
        )
    categories = tuple(t.name for t in advice.tags)
    if advice.rubric:
        categories = (advice.rubric.title, *categories)
    return Item(
        guid=tag_uri(base, advice.when.date, f"advice/{advice.slug}"),
        title=advice.title,
        link=urls.absolute(base, advice.url),
        author=advice.answer_author,
        published=advice.when.at,
        updated=(advice.updated or advice.when).at,
        summary=advice.description,
        html=html,
        categories=categories,
    )


def comment_item(base: str, advice: Advice, comment: Comment, title: str) -> Item:
    return Item(
        guid=tag_uri(base, advice.when.date, f"advice/{advice.slug}/comment/{comment.id}"),
        title=title,
        link=urls.absolute(base, urls.comment(advice.url, comment.id)),
        author=comment.author,
        published=comment.when.at,
        updated=comment.when.at,
        summary=summary(comment.text, 300),
        html=comment.html,
    )


def feed_titles(gettext: Callable[[str], str]) -> dict[str, str]:
    """The UI strings feeds need, in the site's language (%-style placeholders)."""
    return {
        "comments": gettext("Comments: %(site)s"),
        "comments_on": gettext("Comments on “%(title)s”"),
        "comment_on": gettext("%(author)s on “%(title)s”"),
        "week": gettext("Week of %(span)s"),
        "atom": gettext("%(title)s (Atom)"),
    }


def plan_feeds(
    site: Site,
    titles: dict[str, str],
    letters: dict[str, str],
    spans: dict[str, str],
    memo: dict[str, Feed] | None = None,
) -> list[Feed]:
    """Every feed of the site. `titles`: UI strings; `letters` and `spans`: per week URL;
    `memo`: the advices' comment feeds of the last build in this process.

    Items are made only for feeds that are rendered; a feed's fingerprint is what it is made of.
    """
    settings = site.settings
    count = settings.feeds["items"]
    name, base = settings.title, settings.base_url
    memo = {} if memo is None else memo

    def of_advices(
        rss: str, atom: str, title: str, about: str, page: str, found: Sequence[Advice]
    ) -> Feed:
        chosen = tuple(found[:count])
        return Feed(
            rss,
            atom,
            title,
            about,
            page,
            chosen,
            lambda: tuple(advice_item(site, a) for a in chosen),
        )

    feeds = [of_advices(urls.FEED, urls.ATOM, name, settings.description, "/", site.advices)]
    for tag in site.tags:
        title = f"{name}: {tag.name}"
        feeds.append(
            of_advices(
                urls.feed(tag.url),
                urls.feed(tag.url, atom=True),
                title,
                title,
                tag.url,
                tag.advices,
            )
        )
    for rubric in site.rubrics:
        title = f"{name}: {rubric.title}"
        about = rubric.settings.about or title
        rss, atom = urls.feed(rubric.url), urls.feed(rubric.url, atom=True)
        feeds.append(of_advices(rss, atom, title, about, rubric.url, rubric.advices))

    newest = list(itertools.islice(_all_comments(site, count), count))
    on = titles["comment_on"]
    title = titles["comments"] % {"site": name}
    feeds.append(
        Feed(
            urls.COMMENTS_FEED,
            None,
            title,
            title,
            "/",
            tuple((a, c.id) for a, c in newest),
            lambda: tuple(
                comment_item(base, a, c, on % {"author": c.author, "title": a.title})
                for a, c in newest
            ),
        )
    )
    feeds.extend(_advice_feeds(site, titles, memo))
    weeks = weekly_feed_weeks(site)
    feeds.append(
        Feed(
            urls.WEEKLY_FEED,
            None,
            settings.subscribe["list_name"] or name,
            settings.description,
            urls.WEEKLY,
            weeks,
            lambda: tuple(
                _week_item(site, w, titles["week"] % {"span": spans[w.url]}, letters[w.url])
                for w in weeks
            ),
        )
    )
    return feeds


def weekly_feed_weeks(site: Site) -> tuple[Week, ...]:
    """The weeks the weekly feed carries: the newest, as many as the other feeds' items."""
    return site.weeks[: site.settings.feeds["items"]]


def _advice_feeds(site: Site, titles: dict[str, str], memo: dict[str, Feed]) -> list[Feed]:
    """Each advice's comment feed; an unchanged advice keeps its Feed object in MEMO between
    builds of one process, so the render cache finds it by identity."""
    base, count = site.settings.base_url, site.settings.feeds["items"]
    found = []
    kept = {}
    for advice in site.advices:
        feed = memo.get(advice.slug)
        if feed is None or feed.sources[0] is not advice:
            title = titles["comments_on"] % {"title": advice.title}
            items = partial(_advice_comments, base, advice, count)
            feed = Feed(
                urls.comments_feed(advice.url), None, title, title, advice.url, (advice,), items
            )
        kept[advice.slug] = feed
        found.append(feed)
    memo.clear()
    memo.update(kept)
    return found


def _advice_comments(base: str, advice: Advice, count: int) -> tuple[Item, ...]:
    newest = advice.newest_comments[:count]
    return tuple(comment_item(base, advice, c, c.author) for c in newest)


def _all_comments(site: Site, count: int) -> Iterator[tuple[Advice, Comment]]:
    """The site's comments, the newest first: a merge of each advice's newest-first list.

    The newest COUNT comments come from advices whose own newest comment is among the COUNT
    newest such, so only those advices (ties included) are merged, not every advice."""
    discussed = [a for a in site.advices if a.last_comment is not None]
    if len(discussed) > count:
        cutoff = heapq.nlargest(count, (a.last_comment.at for a in discussed if a.last_comment))
        discussed = [a for a in discussed if a.last_comment and a.last_comment.at >= cutoff[-1]]
    streams = [zip(itertools.repeat(a), a.newest_comments) for a in discussed]
    return heapq.merge(*streams, key=lambda pair: comment_order(pair[1]), reverse=True)


def _week_item(site: Site, week: Week, title: str, letter: str) -> Item:
    base = site.settings.base_url
    published = max(a.when.at for a in week.advices)
    return Item(
        guid=tag_uri(base, week.monday, f"weekly/{week.year}-w{week.number:02d}"),
        title=title,
        link=urls.absolute(base, week.url),
        author=site.settings.columnist,
        published=published,
        updated=published,
        summary=" · ".join(a.title for a in week.advices),
        html=letter,
    )


def render_feed(site: Site, feed: Feed, atom: bool) -> bytes:
    """One feed as RSS 2.0 or Atom bytes."""
    settings = site.settings
    base = settings.base_url
    generator = FeedGenerator()
    generator.load_extension("dc")
    own = feed.atom if atom and feed.atom else feed.rss
    generator.id(urls.absolute(base, own))
    generator.title(feed.title)
    about = feed.description or feed.title
    # RSS descriptions are HTML to feed readers: plain text must arrive as text.
    generator.description(about if atom else html.escape(about, quote=False))
    generator.link(href=urls.absolute(base, own), rel="self")
    generator.link(href=urls.absolute(base, feed.page), rel="alternate")
    generator.language(settings.language)
    generator.generator("sovet", version=__version__)
    items = feed.items()
    stamps = [item.updated for item in items]
    newest = max(stamps) if stamps else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    generator.updated(newest)
    generator.lastBuildDate(newest)
    for item in items:
        entry = generator.add_entry(order="append")
        entry.id(item.guid)
        entry.guid(item.guid, permalink=False)
        entry.title(item.title)
        entry.link(href=item.link)
        entry.author({"name": item.author})
        entry.dc.dc_creator(item.author)
        entry.published(item.published)
        entry.updated(item.updated)
        entry.summary(html.escape(item.summary or item.title, quote=False), type="html")
        if item.html:
            entry.content(item.html, type="html")
        for category in item.categories:
            entry.category(term=category)
    data: bytes = generator.atom_str(pretty=True) if atom else generator.rss_str(pretty=True)
    return data


def want_feeds(site: Site, feeds: list[Feed], batch: Batch) -> None:
    """Every feed, RSS and Atom, asked of the batch (keys are their URLs)."""
    for feed in feeds:
        batch.want(feed.rss, feed, partial(render_feed, site, feed, False))
        if feed.atom:
            batch.want(feed.atom, feed, partial(render_feed, site, feed, True))
