"""The weekly letter: each week's advices as an email (HTML with inlined CSS) and plain text.

Email clients ignore <style> blocks or strip them (Gmail, Outlook), so every rule is inlined
as a style attribute; only @media rules stay in a <style> block, where clients that honour
them use them. Links are absolute, or the email service's merge tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

import css_inline
import jinja2

from .. import urls
from ..model import Site, Week
from .cache import RenderCache
from .feeds import absolutize
from .plaintext import LinkRefs, html_to_text

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class Letters:
    files: dict[PurePosixPath, bytes]
    html: dict[str, str]  # week URL -> the letter's body, for the weekly feed


def render_letters(env: jinja2.Environment, site: Site, cache: RenderCache) -> Letters:
    base = site.settings.base_url
    files: dict[PurePosixPath, bytes] = {}
    letters: dict[str, str] = {}
    for week in site.weeks:

        def html_part(week: Week = week) -> bytes:
            html = env.get_template("email/weekly.html").render(week=week)
            return _INLINER.inline(absolutize(html, base)).encode("utf-8")

        def text_part(week: Week = week) -> bytes:
            template = env.get_template("email/weekly.txt")
            return template.render(week=week, refs=LinkRefs()).encode("utf-8")

        html_url, text_url = urls.letter(week.url, "html"), urls.letter(week.url, "txt")
        html = cache.get(html_url, week, html_part)
        files[urls.output_path(html_url)] = html
        files[urls.output_path(text_url)] = cache.get(text_url, week, text_part)
        letters[week.url] = _body(html)
    return Letters(files, letters)


@lru_cache(maxsize=1024)
def _body(html: bytes) -> str:
    """The letter inside <body>: what an RSS-to-email service puts into its own envelope."""
    text = html.decode("utf-8")
    match = _BODY.search(text)
    return match.group(1).strip() if match else text


def text_filter(html: str, refs: LinkRefs, base_url: str) -> str:
    """The `as_text` template filter: HTML as wrapped text, links added to the letter's refs."""
    return html_to_text(absolutize(html, base_url), refs)
