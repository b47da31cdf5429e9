"""One source for every URL of the site: pages, feeds, the sitemap and links all ask here."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from slugify import slugify

# First path segments the build itself uses; a page or a permalink must not take them.
RESERVED = frozenset(
    {
        "page",
        "weekly",
        "tags",
        "rubrics",
        "subscribe",
        "ask",
        "search",
        "pagefind",
        "static",
        "comments",
        "_inbox",
    }
)


def base_path(base_url: str) -> str:
    """The path a site lives under: '/' or '/column/'."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def under(base: str, url: str) -> str:
    """A site-absolute path (/advice/x/) as the browser must ask for it when the site lives
    under BASE ('/column/'); anything else (a full address, //host/x, #anchor) as it is."""
    return base + url[1:] if url.startswith("/") and not url.startswith("//") else url


def advice(permalink: str, slug: str, date: dt.date) -> str:
    return permalink.format(
        slug=slug,
        year=f"{date.year:04d}",
        month=f"{date.month:02d}",
        day=f"{date.day:02d}",
        date=f"{date:%Y%m%d}",
    )


def paged(first: str, number: int) -> str:
    """Page N of a list whose first page is at `first`: /tags/x/ -> /tags/x/page/2/."""
    return first if number <= 1 else f"{first}page/{number}/"


def home(number: int) -> str:
    return paged("/", number)


def week(year: int, number: int) -> str:
    return f"/weekly/{year:04d}-w{number:02d}/"


def tag(slug: str) -> str:
    return f"/tags/{slug}/"


def rubric(key: str) -> str:
    return f"/rubrics/{key}/"


def page(name: str) -> str:
    return f"/{name}/"


def comment(advice_url: str, comment_id: str) -> str:
    return f"{advice_url}#comment-{comment_id}"


WEEKLY = "/weekly/"
FEED = "/feed.xml"
ATOM = "/atom.xml"
COMMENTS_FEED = "/comments.xml"
WEEKLY_FEED = "/weekly/feed.xml"
TAGS = "/tags/"
RUBRICS = "/rubrics/"
SUBSCRIBE = "/subscribe/"
SUBSCRIBE_CONFIRM = "/subscribe/confirm/"
SUBSCRIBE_WELCOME = "/subscribe/welcome/"
ASK = "/ask/"
SEARCH = "/search/"
PAGEFIND = "/pagefind/"  # the search index and its scripts, made by the build
NOT_FOUND = "/404.html"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"


# Where the generic transliteration reads badly for Russian ('сбоя' -> 'sboia'), say it as people
# type it in Latin letters ('sboya'): the common street transliteration.
_RUSSIAN = [["й", "y"], ["я", "ya"], ["ю", "yu"], ["ё", "yo"], ["ъ", ""], ["ь", ""]]
_REPLACEMENTS = _RUSSIAN + [[a.upper(), b] for a, b in _RUSSIAN]


@lru_cache(maxsize=16384)
def slug(text: str, max_length: int = 60) -> str:
    """A readable Latin slug in any language: 'Оплата после сбоя' -> 'oplata-posle-sboya'.

    Cached: a column names the same few topics on every advice, and slugify is slow."""
    return str(
        slugify(
            text,
            lowercase=True,
            max_length=max_length,
            word_boundary=True,
            replacements=_REPLACEMENTS,
        )
    )


def feed(page_url: str, atom: bool = False) -> str:
    """The RSS (or Atom) feed beside a list page: /tags/oplata/feed.xml, /tags/oplata/atom.xml."""
    return page_url + ("atom.xml" if atom else "feed.xml")


def comments_feed(advice_url: str) -> str:
    return advice_url + "comments.xml"


def letter(week_url: str, kind: str) -> str:
    """A week's letter: /weekly/2026-w47/email.html or email.txt."""
    return f"{week_url}email.{kind}"


def tag_slug(name: str) -> str:
    """The address part of a topic: 'Письма клиенту' -> 'pisma-klientu'."""
    return slug(name)


def absolute(base_url: str, url: str) -> str:
    """An absolute URL on base_url (which ends with '/')."""
    return base_url + url.lstrip("/")


@lru_cache(maxsize=1 << 18)
def output_path(url: str) -> PurePosixPath:
    """The file a URL is written to, relative to the output folder (cached: serve maps every
    output's URL to its file on every rebuild)."""
    path = url.split("#", 1)[0]
    if path.endswith("/"):
        path += "index.html"
    return PurePosixPath(path.lstrip("/"))
