"""The weekly letter: each week's advices as an email (HTML with inlined CSS) and plain text.

Email clients ignore <style> blocks or strip them (Gmail, Outlook), so every rule is inlined
as a style attribute; only @media rules stay in a <style> block, where clients that honour
them use them. Links are absolute, or the email service's merge tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

import css_inline
import jinja2

from .. import urls
from ..model import Site
from .feeds import absolutize
from .plaintext import LinkRefs, html_to_text

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class Letters:
    files: dict[PurePosixPath, bytes]
    html: dict[str, str]  # week URL -> the letter's body, for the weekly feed


def render_letters(env: jinja2.Environment, site: Site) -> Letters:
    base = site.settings.base_url
    html_template = env.get_template("email/weekly.html")
    text_template = env.get_template("email/weekly.txt")
    files: dict[PurePosixPath, bytes] = {}
    letters: dict[str, str] = {}
    for week in site.weeks:
        html = _INLINER.inline(absolutize(html_template.render(site=site, week=week), base))
        text = text_template.render(site=site, week=week, refs=LinkRefs())
        letters[week.url] = _body(html)
        files[urls.output_path(urls.letter(week.url, "html"))] = html.encode("utf-8")
        files[urls.output_path(urls.letter(week.url, "txt"))] = text.encode("utf-8")
    return Letters(files, letters)


def _body(html: str) -> str:
    """The letter inside <body>: what an RSS-to-email service puts into its own envelope."""
    match = _BODY.search(html)
    return match.group(1).strip() if match else html


def text_filter(html: str, refs: LinkRefs, base_url: str) -> str:
    """The `as_text` template filter: HTML as wrapped text, links added to the letter's refs."""
    return html_to_text(absolutize(html, base_url), refs)
