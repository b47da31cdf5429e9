"""The weekly letter: each week's advices as an email (HTML with inlined CSS) and plain text.

Email clients ignore <style> blocks or strip them (Gmail, Outlook), so every rule is inlined
as a style attribute; only @media rules stay in a <style> block, where clients that honour
them use them. Links are absolute, or the email service's merge tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import css_inline
import jinja2

from .. import urls
from ..model import Site, Week
from .cache import Batch
from .feeds import absolutize
from .plaintext import LinkRefs, html_to_text

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def want_letters(env: jinja2.Environment, site: Site, batch: Batch) -> None:
    """Each week's letter, HTML and text, asked of the batch (keys are their URLs)."""
    base = site.settings.base_url
    for week in site.weeks:

        def html_part(week: Week = week) -> bytes:
            html = env.get_template("email/weekly.html").render(week=week)
            return _INLINER.inline(absolutize(html, base)).encode("utf-8")

        def text_part(week: Week = week) -> bytes:
            template = env.get_template("email/weekly.txt")
            return template.render(week=week, refs=LinkRefs()).encode("utf-8")

        batch.want(urls.letter(week.url, "html"), week, html_part)
        batch.want(urls.letter(week.url, "txt"), week, text_part)


def letter_bodies(weeks: Iterable[Week], done: dict[str, bytes]) -> dict[str, str]:
    """Week URL -> the body of its letter, for the weekly feed's weeks."""
    return {week.url: _body(done[urls.letter(week.url, "html")]) for week in weeks}


@lru_cache(maxsize=1024)
def _body(html: bytes) -> str:
    """The letter inside <body>: what an RSS-to-email service puts into its own envelope."""
    text = html.decode("utf-8")
    match = _BODY.search(text)
    return match.group(1).strip() if match else text


def text_filter(html: str, refs: LinkRefs, base_url: str) -> str:
    """The `as_text` template filter: HTML as wrapped text, links added to the letter's refs."""
    return html_to_text(absolutize(html, base_url), refs)
