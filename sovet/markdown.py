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
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.linkify import linkify as linkify_rule
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

from . import urls
from .bodies import Body
from .typography import typeset_tokens

SAFE_SCHEMES = ("http:", "https:", "mailto:")
READER_TAGS = {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "del"}
READER_TAGS |= {"hr", "s"}
READER_SCHEMES = {"http", "https", "mailto"}


# Whitespace other than the space, made a space first. Not str.split(): no-break spaces stay.
_OTHER_SPACES = ("\n", "\t", "\r", "\f", "\v")


def one_space(text: str) -> str:
    """TEXT with each run of ASCII whitespace made one space. Substring tests and replaces,
    each a quick scan, where a pattern would step through the text a character at a time
    (three times as long on a column's comments); a paragraph has nothing to do more often
    than not. Each replace of two spaces by one halves the runs left."""
    for sign in _OTHER_SPACES:
        if sign in text:
            text = text.replace(sign, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


@dataclass(frozen=True)
class Rendered:
    """A rendered body: its HTML, its plain text (for summaries and search), and the address
    of every link and embedded file in the HTML (for checking internal links)."""

    html: str
    text: str
    links: tuple[str, ...] = ()
    link_lines: tuple[int, ...] = ()  # the line of its file each link is written on


class _Links(HTMLParser):
    """The `href` and `src` of every element of a piece of raw HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(value for name, value in attrs if name in ("href", "src") and value)


def _lines_of(links: Sequence[str], source: str, first_line: int) -> tuple[int, ...]:
    """The line of the file each of LINKS is written on (its first line when not found),
    found while the body's source is at hand, so the link check reads no file.

    Links come in the order they are written, so each is looked for from where the one
    before it was found, and the lines between are counted once: a body of thousands of
    links costs time in proportion to its length. A link found nowhere after that (a repeat,
    raw HTML listed after the Markdown) is looked for from the start."""
    found: list[int] = []
    at, line = 0, first_line
    for link in links:
        needles = [f"]({link})", f"]({link} ", f"<{link}>", f'"{link}"', f"'{link}'"]
        needles += [link, unquote(link)]
        where = _first(source, needles, at)
        if where >= 0:
            line += source.count("\n", at, where)
            at = where
            found.append(line)
        else:
            where = _first(source, needles, 0)
            found.append(first_line + source.count("\n", 0, where) if where >= 0 else first_line)
    return tuple(found)


def _first(source: str, needles: Sequence[str], start: int) -> int:
    """Where the first of NEEDLES that SOURCE holds from START is (-1: none)."""
    for needle in needles:
        where = source.find(needle, start)
        if where >= 0:
            return where
    return -1


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
# pre-check is slow on long Cyrillic paragraphs; this one lets it look only where it could
# match. Every alternative has a fixed length, so a text costs time in proportion to it.
_BARE_LINK = re.compile(r"[a-z0-9+.-]://|[\w.+-]@[\w-]", re.IGNORECASE)


def _linkify_addresses(md: MarkdownIt) -> None:
    """Only addresses with a scheme and emails become links: 'README.md', 'ex.org' stay words."""
    md.enable("linkify")
    md.inline.ruler.at("linkify", _linkify_near)
    if md.linkify is not None:
        md.linkify.set({"fuzzy_link": False})
        md.linkify.pretest = _has_bare_link


# How far the inline linkify rule looks around a '://': back for a scheme, ahead for the
# address (further only when an address fills that).
_SCHEME_REACH = 64
_ADDRESS_REACH = 4096
_SCHEME_RUN = re.compile(r"[a-z0-9.+-]*", re.IGNORECASE)


def _linkify_near(state: StateInline, silent: bool) -> bool:
    """markdown-it's own linkify rule, shown only the text near each '://'.

    At every '://' the library's rule searches all the paragraph's text before it for a
    scheme and copies all the text after it, so a paragraph of many '://' costs time
    growing with its square. A scheme is short and an address ends where it ends: the
    rule first looks through a window (silently), and runs for real, with the text it
    needs, only when a link is there; a link flushes the text before it, so each part of
    the text is read a bounded number of times."""
    pos, src = state.pos, state.src
    if src[pos : pos + 3] != "://":
        return False
    tail = state.pending[-_SCHEME_REACH:]
    if len(tail) == _SCHEME_REACH and _SCHEME_RUN.fullmatch(tail):
        return False  # a run of scheme characters longer than any scheme
    end = pos + _ADDRESS_REACH
    if not _windowed(state, True, end, tail):
        return False
    if state.pos >= end and end < len(src):  # the address fills the window: read it whole
        end = len(src)
        state.pos = pos
        if not _windowed(state, True, end, tail):
            return False
    if silent:
        return True
    state.pos = pos
    return _windowed(state, False, end, None)


def _windowed(state: StateInline, silent: bool, end: int, pending: str | None) -> bool:
    """The library's rule on the source from the scheme's reach to END, positions kept;
    with PENDING, on that text before the '://' instead of all of it (silent runs only)."""
    src, pos, maximum, before = state.src, state.pos, state.posMax, state.pending
    start = max(0, pos - _SCHEME_REACH)
    state.src, state.pos, state.posMax = src[start:end], pos - start, min(maximum, end) - start
    if pending is not None:
        state.pending = pending
    try:
        found = linkify_rule(state, silent)
    finally:
        state.pos += start
        state.src, state.posMax = src, maximum
        if pending is not None:
            state.pending = before
    return found


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


def render_editor(source: str, language: str, typography: bool, first_line: int = 1) -> Rendered:
    """Trusted editor Markdown (questions, answers, pages); FIRST_LINE: the body's line in
    its file."""
    return _render(_EDITOR, source, language, typography, first_line)


# nh3 takes time growing with the square of a paragraph for each character of U+00A0-U+00BF
# it meets (the no-break space, « and », ©, °...), and a Russian text has one every few
# words: they cross it as the non-characters U+FDD0-U+FDEF, which no reader's text holds
# (the inbox drops them), and come back after.
_SIGNS = [(chr(0xA0 + offset), chr(0xFDD0 + offset)) for offset in range(32)]
_SIGNS_BACK = [(new, old) for old, new in _SIGNS]
_STAND_INS = re.compile("[\ufdd0-\ufdef]")


# Built once: nh3.clean would convert these options for every comment again (a third of its
# time on a column's comments).
_CLEANER = nh3.Cleaner(
    tags=READER_TAGS,
    clean_content_tags={"script", "style"},
    # Every attribute spelled out: "*" replaces the sanitizer's defaults (lang, title).
    attributes={"*": set(), "a": {"href", "title"}},
    url_schemes=READER_SCHEMES,
    url_relative="deny",
    link_rel="nofollow ugc",
    strip_comments=True,
)


def _swapped(html: str, pairs: list[tuple[str, str]]) -> str:
    """HTML with each first character of PAIRS replaced by its second (str.replace per
    character present: a scan each, far quicker than translating every character)."""
    for old, new in pairs:
        if old in html:
            html = html.replace(old, new)
    return html


def render_reader(source: str, language: str, typography: bool, first_line: int = 1) -> Rendered:
    """A reader's comment: no raw HTML, safe links only, rel="nofollow ugc", cleaned twice."""
    rendered = _render(_READER, source, language, typography, first_line)
    html, swapped = rendered.html, _STAND_INS.search(rendered.html) is None
    if swapped:
        html = _swapped(html, _SIGNS)
    html = _CLEANER.clean(html)
    if swapped:
        html = _swapped(html, _SIGNS_BACK)
    return Rendered(html, rendered.text, rendered.links, rendered.link_lines)


def _render(
    md: MarkdownIt, source: str, language: str, typography: bool, first_line: int
) -> Rendered:
    env: dict[str, Any] = {}
    tokens = md.parse(source, env)
    if typography:
        typeset_tokens(tokens, language)
    html = md.renderer.render(tokens, md.options, env)
    links = links_in(tokens)
    return Rendered(html, plain_text(tokens), links, _lines_of(links, source, first_line))


def under_base(body: Body, base: str) -> Body:
    """BODY with its site-absolute links (/advice/x/, as editors write them) pointing under
    the path the site lives at (/column/advice/x/); most bodies have none and come back as
    they are. Only attributes inside tags change: a link shown as code stays as written."""
    rooted = [
        link
        for link in body.links
        if link.startswith("/") and not link.startswith(("//", base))  # not under it already
    ]
    if base == "/" or not rooted:
        return body
    written = {form: link for link in rooted for form in (escapeHtml(link), link)}
    pattern = re.compile(
        r"(<[A-Za-z][^<>]*?\s(?:href|src)=)([\"'])("
        + "|".join(map(re.escape, sorted(written, key=len, reverse=True)))
        + r")\2"
    )
    html = pattern.sub(
        lambda m: f"{m[1]}{m[2]}{escapeHtml(urls.under(base, written[m[3]]))}{m[2]}", body.html
    )
    return Rendered(html, body.text, body.links, body.link_lines)


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
    flat = one_space(head).strip()
    if len(flat) <= limit and len(head) < len(text):
        flat = one_space(text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:—–-")
    return cut + "…"
