"""Internal links of the column: every link in a body must lead to a page, file and anchor of
the built site.

`check` and `build` both run it: a question, an answer, a comment or a page links to a site
address (`/advice/x/`), a relative one (`../x/`, resolved from the page the body is shown
on), a bare `#anchor` (on that same page) or a full address on the site's own host. The
links are the ones the rendered HTML really has (read by an HTML parser as each body is
rendered); the anchors are the `id`s of the built page they point to.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from .model import Site
from .problems import Problem, did_you_mean


class Hints:
    """Did-you-mean hints for missing pages, by the address and the pages it was compared
    with: a build that finds the last build's broken links among the same pages takes their
    hints from it instead of comparing each with every page of its folder again."""

    def __init__(self, last: dict[tuple[str, bytes], str] | None = None) -> None:
        self.last = last or {}
        self.made: dict[tuple[str, bytes], str] = {}  # this build's, for the next

    def did_you_mean(self, path: str, pages: list[str], digest: bytes) -> str:
        key = (path, digest)
        found = self.last.get(key)
        if found is None:
            found = did_you_mean(path, pages)
        self.made[key] = found
        return found


@dataclass(frozen=True)
class Targets:
    """What the built site serves: its addresses, and the anchors of a page when asked."""

    urls: frozenset[str]
    ids_of: Callable[[str], frozenset[str]]
    hints: Hints = field(default_factory=Hints)

    def likely(self, path: str) -> str:
        """A ' (did you mean "x"?)' for a missing PATH: the page it names from another folder
        (a relative link read from the wrong page), else the closest page in its folder."""
        parts = [part for part in path.split("/") if part]
        for start in range(1, len(parts)):
            shorter = "/" + "/".join(parts[start:]) + ("/" if path.endswith("/") else "")
            if shorter in self.urls:
                return f' (did you mean "{shorter}"?)'
        folder = _folder(path)
        pages = _pages_in(self.urls, folder)
        return self.hints.did_you_mean(path, pages, _digest(self.urls, folder))

    def around(self, path: str) -> list[str]:
        """The pages in PATH's folder: what a hint for it compares it with."""
        return _pages_in(self.urls, _folder(path))


@functools.lru_cache(maxsize=16)
def _digest(urls: frozenset[str], folder: str) -> bytes:
    """The pages of FOLDER, digested once per build: what a kept hint was worked out from."""
    pages = _pages_in(urls, folder)
    return hashlib.blake2b("\n".join(pages).encode(), digest_size=16).digest()


def _pages_in(urls: frozenset[str], folder: str) -> list[str]:
    return _folders(urls).get(folder, [])


@functools.lru_cache(maxsize=2)
def _folders(urls: frozenset[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for url in sorted(urls):
        if url.endswith("/"):
            found.setdefault(_folder(url), []).append(url)
    return found


def _folder(path: str) -> str:
    return path.rstrip("/").rpartition("/")[0] + "/"


def in_memory(files: Mapping[PurePosixPath, bytes]) -> Targets:
    """The targets of a site rendered into memory (check)."""
    return _targets(files.keys(), lambda path: files[path])


def on_disk(
    folder: Path, written: Collection[PurePosixPath], hints: Hints | None = None
) -> Targets:
    """The targets of a site written into FOLDER (build): a page is read only when a link
    names one of its anchors."""
    return _targets(written, lambda path: folder.joinpath(*path.parts).read_bytes(), hints)


def _targets(
    paths: Collection[PurePosixPath],
    read: Callable[[PurePosixPath], bytes],
    hints: Hints | None = None,
) -> Targets:
    by_url: dict[str, PurePosixPath] = {}
    for path in paths:
        url = "/" + path.as_posix()
        by_url[url] = path
        if path.name == "index.html":
            by_url[url[: -len("index.html")]] = path

    @functools.cache
    def ids_of(url: str) -> frozenset[str]:
        path = by_url[url]
        return (
            _ids(read(path).decode("utf-8", "replace")) if path.suffix == ".html" else frozenset()
        )

    return Targets(frozenset(by_url), ids_of, hints or Hints())


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.found.add(value)


def _ids(html: str) -> frozenset[str]:
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return frozenset(parser.found)


# Did-you-mean compares a missing address with the pages around it: worth it for the first
# few, too slow for thousands (a column linking to an old site's addresses). Hints stop after
# HINTS broken links, or once they have compared this many pages (a folder of 10 000 advices
# costs 0.05 s a hint).
HINTS = 10
HINT_PAGES = 20_000


# The body's file, the address of the page showing it, the href, the line it is written on.
Link = tuple[str, str, str, int]


def check_links(
    site: Site, targets: Targets, pending: str | None = None
) -> tuple[list[Problem], list[Link]]:
    """A problem for each internal link whose page, file or anchor does not exist.

    PENDING: a folder of the site still being written (`/pagefind/`, while Pagefind works), so
    the rest is checked meanwhile: the links into it come back unchecked, for `check_these`
    once it is complete."""
    later: list[Link] = []
    links = (
        (source, page_url, href, line)
        for source, page_url, hrefs, lines in _bodies(site)
        for href, line in zip(hrefs, lines, strict=True)
    )
    return check_these(site, targets, links, pending, later), later


def check_these(
    site: Site,
    targets: Targets,
    links: Iterable[Link],
    pending: str | None = None,
    later: list[Link] | None = None,
) -> list[Problem]:
    """A problem for each of LINKS that is broken; those into PENDING go to LATER instead."""
    base = urlsplit(site.settings.base_url)
    host, base_path = base.netloc, base.path or "/"
    problems: list[Problem] = []
    compared = 0
    for link in links:
        source, page_url, href, line = link
        path = _path(href, page_url, host, base_path)
        if path is None:
            continue
        if pending is not None and later is not None and path.startswith(pending):
            later.append(link)
            continue
        hint = len(problems) < HINTS and compared < HINT_PAGES
        reason = _reason(href, path, targets, hint)
        if reason and hint and path not in targets.urls:
            compared += len(targets.around(path))
        if reason:
            problems.append(Problem(source, line, reason))
    return problems


def _bodies(site: Site) -> Iterator[tuple[str, str, tuple[str, ...], tuple[int, ...]]]:
    """The links of each body and their lines, with its file and the address of the page it
    is shown on."""
    for advice in site.advices:
        question, answer = advice.question, advice.answer
        yield advice.sources[0], advice.url, question.links, question.link_lines
        yield advice.sources[1], advice.url, answer.links, answer.link_lines
        for comment in advice.comments():
            yield comment.source, advice.url, comment.body.links, comment.body.link_lines
    for page in site.pages:
        yield page.source, page.url, page.links, page.link_lines


def _path(href: str, page_url: str, host: str, base_path: str) -> str | None:
    """The site path HREF leads to from the page at PAGE_URL; None when it leaves the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if parts.netloc != host or parts.scheme not in ("http", "https", ""):
            return None  # another site, or mailto: and the like
        path = parts.path or "/"
    else:
        path = urljoin(page_url, parts.path) if parts.path else page_url
    path = unquote(path)
    if path.startswith(base_path):
        path = "/" + path[len(base_path) :]
    return path


def _reason(href: str, path: str, targets: Targets, hint: bool) -> str | None:
    """Why a link to PATH (as HREF) is broken, or None."""
    parts = urlsplit(href)
    shown = href if parts.path or parts.netloc else f"#{parts.fragment}"
    if path not in targets.urls:
        likely = targets.likely(path) if hint else ""
        relative = not (parts.netloc or parts.path.startswith("/"))
        where = f" (that is {path})" if relative else ""
        return f"link to {shown}{where}: no such page in the site{likely}"
    fragment = unquote(parts.fragment)
    if fragment and fragment not in targets.ids_of(path):
        ids = targets.ids_of(path) if hint else frozenset()
        return f"link to {shown}: the page has no anchor #{fragment}{did_you_mean(fragment, ids)}"
    return None
