"""Two Markdown renderers: the editors' (trusted, raw HTML allowed) and the readers' (safe).

Each body is parsed once; the token stream is typeset, rendered to HTML, and read for a plain
text summary. Readers' HTML passes a second, independent layer (nh3) with an allow-list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

from .typography import typeset_tokens

SAFE_SCHEMES = ("http:", "https:", "mailto:")
READER_TAGS = {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "del"}
READER_TAGS |= {"hr", "s"}
READER_SCHEMES = {"http", "https", "mailto"}


_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not str.split(): no-break spaces must stay


@dataclass(frozen=True)
class Rendered:
    """A rendered body: its HTML, its plain text (for summaries and search), and the address
    of every link and embedded file in the HTML (for checking internal links)."""

    html: str
    text: str
    links: tuple[str, ...] = ()


class _Links(HTMLParser):
    """The `href` and `src` of every element of a piece of raw HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(value for name, value in attrs if name in ("href", "src") and value)


def links_in(tokens: Sequence[Token]) -> tuple[str, ...]:
    """Every link and embedded file the rendered body has, in order, each once: read from the
    parsed document (Markdown's links and images, and raw HTML through an HTML parser), so a
    link written as escaped words or inside code is no link."""
    found: list[str] = []
    raw: list[str] = []
    for token in tokens:
        if token.type == "html_block":
            raw.append(token.content)
        for child in token.children or ():
            if child.type == "link_open":
                found.append(str(child.attrGet("href") or ""))
            elif child.type == "image":
                found.append(str(child.attrGet("src") or ""))
            elif child.type == "html_inline":
                raw.append(child.content)
    if raw:
        parser = _Links()
        parser.feed("".join(raw))
        parser.close()
        found += parser.found
    return tuple(dict.fromkeys(link for link in found if link))


# What linkify could turn into a link: an address with a scheme, or an email. Linkify-it's own
# pre-check is slow on long Cyrillic paragraphs; this one lets it look only where it could match.
_BARE_LINK = re.compile(r"[a-z][a-z0-9+.-]*://|[\w.+-]@[\w-]+\.\w", re.IGNORECASE)


def _linkify_addresses(md: MarkdownIt) -> None:
    """Only addresses with a scheme and emails become links: 'README.md', 'ex.org' stay words."""
    md.enable("linkify")
    if md.linkify is not None:
        md.linkify.set({"fuzzy_link": False})
        md.linkify.pretest = _has_bare_link


def _has_bare_link(text: str) -> bool:
    # Substring tests first: the pattern is slow to scan long paragraphs with.
    return ("://" in text or "@" in text) and _BARE_LINK.search(text) is not None


def _editor_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    _linkify_addresses(md)
    md.use(footnote_plugin)
    return md


def _reader_link_is_safe(url: str) -> bool:
    """Only absolute http(s) and mailto links survive in readers' words."""
    cleaned = "".join(ch for ch in url if ch > " ").lower()
    return cleaned.startswith(SAFE_SCHEMES) and len(cleaned) > len("http:")


def _image_as_link(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Readers' images become plain links: nothing is loaded from a comment."""
    token = tokens[idx]
    src = escapeHtml(str(token.attrGet("src") or ""))
    alt = escapeHtml(token.content) or src
    return f'<a href="{src}">{alt}</a>'


def _reader_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable("strikethrough")
    _linkify_addresses(md)
    md.disable(["heading", "lheading", "html_block", "html_inline"])
    md.validateLink = _reader_link_is_safe  # type: ignore[method-assign]
    md.add_render_rule("image", _image_as_link)
    return md


_EDITOR = _editor_parser()
_READER = _reader_parser()


def render_editor(source: str, language: str, typography: bool) -> Rendered:
    """Trusted editor Markdown (questions, answers, pages)."""
    return _render(_EDITOR, source, language, typography)


def render_reader(source: str, language: str, typography: bool) -> Rendered:
    """A reader's comment: no raw HTML, safe links only, rel="nofollow ugc", cleaned twice."""
    rendered = _render(_READER, source, language, typography)
    html = nh3.clean(
        rendered.html,
        tags=READER_TAGS,
        clean_content_tags={"script", "style"},
        # Every attribute spelled out: "*" replaces the sanitizer's defaults (lang, title).
        attributes={"*": set(), "a": {"href", "title"}},
        url_schemes=READER_SCHEMES,
        url_relative="deny",
        link_rel="nofollow ugc",
        strip_comments=True,
    )
    return Rendered(html, rendered.text, rendered.links)


def _render(md: MarkdownIt, source: str, language: str, typography: bool) -> Rendered:
    env: dict[str, Any] = {}
    tokens = md.parse(source, env)
    if typography:
        typeset_tokens(tokens, language)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(html, plain_text(tokens), links_in(tokens))


def plain_text(tokens: Sequence[Token]) -> str:
    """The words of a body without markup: paragraphs joined by blank lines."""
    blocks: list[str] = []
    for token in tokens:
        if token.type == "inline" and token.children is not None:
            words = [
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            ]
            blocks.append("".join(words).strip())
        elif token.type in ("code_block", "fence"):
            blocks.append(token.content.strip())
    return "\n\n".join(block for block in blocks if block)


def summary(text: str, limit: int = 200) -> str:
    """The start of a text cut at a word boundary, for descriptions and social cards."""
    head = text[: limit * 2]  # most texts are long: flatten only what the cut can reach
    flat = _SPACES.sub(" ", head).strip()
    if len(flat) <= limit and len(head) < len(text):
        flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:—–-")
    return cut + "…"
