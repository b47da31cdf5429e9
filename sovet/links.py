"""Internal links of the column: every /path and #anchor in a body must exist in the built site.

Used by `check`: the site is rendered in memory, then each link in a question, an answer, a
comment or a page is resolved against the files and the element ids of their pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .model import Site
from .problems import Problem, did_you_mean

_HREF = re.compile(r"""\s(?:href|src)=["']([^"']+)["']""")
_ID = re.compile(rb"""\sid=["']([^"']+)["']""")


def check_links(site: Site, files: Mapping[PurePosixPath, bytes]) -> list[Problem]:
    """A problem for each internal link whose page, file or anchor does not exist."""
    base = urlsplit(site.settings.base_url)
    targets = _targets(files)
    problems = []
    for source, html in _bodies(site):
        for href in _HREF.findall(html):
            reason = _resolve(href, base.netloc, base.path, targets)
            if reason:
                path = Path(source) if Path(source).exists() else site.settings.root.parent / source
                problems.append(Problem(source, _line_of(path, href), reason))
    return problems


def _bodies(site: Site) -> Iterator[tuple[str, str]]:
    for advice in site.advices:
        yield advice.sources[0], advice.question_html
        yield advice.sources[1], advice.answer_html
        for comment in advice.comments():
            yield comment.source, comment.html
    for page in site.pages:
        yield page.source, page.html


def _targets(files: Mapping[PurePosixPath, bytes]) -> dict[str, set[str]]:
    """Every URL the site serves, with the element ids of its HTML."""
    targets: dict[str, set[str]] = {}
    for path, data in files.items():
        url = "/" + path.as_posix()
        ids = (
            {m.decode("utf-8", "replace") for m in _ID.findall(data)}
            if path.suffix == ".html"
            else set()
        )
        targets[url] = ids
        if path.name == "index.html":
            targets[url[: -len("index.html")]] = ids
    return targets


def _resolve(href: str, host: str, base_path: str, targets: dict[str, set[str]]) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if parts.netloc != host or parts.scheme not in ("http", "https"):
            return None  # another site, or mailto: and the like
    elif not parts.path:
        return None  # a bare #anchor: points into the same body, not checked here
    elif not parts.path.startswith("/"):
        return None  # relative paths depend on where the body is shown
    path = unquote(parts.path)
    if path.startswith(base_path):
        path = "/" + path[len(base_path) :]
    if path not in targets:
        hint = did_you_mean(path, [t for t in targets if t.endswith("/")])
        return f"link to {href}: no such page in the site{hint}"
    if parts.fragment and unquote(parts.fragment) not in targets[path]:
        hint = did_you_mean(parts.fragment, targets[path])
        return f"link to {href}: the page has no anchor #{parts.fragment}{hint}"
    return None


def _line_of(path: Path, href: str) -> int:
    """The line of the source file where the link is written (1 when it cannot be found)."""
    try:
        lines = path.read_text("utf-8-sig").splitlines()
    except OSError:
        return 1
    exact = [f"]({href})", f"]({href} ", f"<{href}>", f'"{href}"', f"'{href}'"]
    needles = [*exact, href, unquote(href)]
    for needle in needles:
        for number, line in enumerate(lines, start=1):
            if needle in line:
                return number
    return 1
