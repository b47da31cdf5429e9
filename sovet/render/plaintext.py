"""HTML to readable plain text with numbered link references, for the letter's text part.

Mail clients show the text part to readers who turn HTML off; it should read like a letter
someone typed: wrapped paragraphs, "- " list items, "> " quotes, and links as [1] with the
addresses listed at the end.
"""

from __future__ import annotations

from html.parser import HTMLParser

from ..markdown import one_space

WIDTH = 72
_BLOCKS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "pre", "tr", "hr", "ul", "ol"}


class LinkRefs:
    """Link addresses of one letter, numbered in order of first appearance."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1

    def lines(self) -> list[str]:
        return [f"[{n}] {url}" for n, url in enumerate(self.urls, start=1)]


class _Text(HTMLParser):
    def __init__(self, refs: LinkRefs) -> None:
        super().__init__(convert_charrefs=True)
        self.refs = refs
        self.blocks: list[tuple[str, str, bool, bool]] = []  # prefix, text, pre, list item
        self.current: list[str] = []
        self.item = False  # the text being collected starts a list item
        self.prefix: list[str] = []
        self.href: list[str | None] = []
        self.pre = 0

    def flush(self) -> None:
        text = "".join(self.current)
        if self.item and text.strip() == "-":
            return  # a loose list's item: its marker waits for the paragraph inside it
        if not self.pre:
            text = one_space(text).strip()
        if text.strip():
            self.blocks.append(("".join(self.prefix), text, self.pre > 0, self.item))
        self.current = []
        self.item = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS or tag == "br":
            self.flush()
        if tag == "blockquote":
            self.prefix.append("> ")
        elif tag == "li":
            self.current.append("- ")
            self.item = True
        elif tag == "pre":
            self.pre += 1
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href:
            href = self.href.pop()
            if href and not href.startswith("#"):
                self.current.append(f" [{self.refs.number(href)}]")
            return
        if tag in _BLOCKS:
            self.flush()
        if tag == "blockquote" and self.prefix:
            self.prefix.pop()
        elif tag == "pre":
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def html_to_text(html: str, refs: LinkRefs) -> str:
    """Paragraphs wrapped at 72 characters, separated by blank lines; links as [n]."""
    parser = _Text(refs)
    parser.feed(html)
    parser.close()
    parser.flush()
    paragraphs = []
    for prefix, text, preformatted, item in parser.blocks:
        if preformatted:
            paragraphs.append("\n".join(prefix + line for line in text.splitlines()))
            continue
        indent = "  " if item else ""  # a list item's lines hang under its first word
        paragraphs.append(_wrap(text, prefix, prefix + indent))
    return "\n\n".join(paragraphs)


def _wrap(text: str, first: str, rest: str) -> str:
    """Greedy wrapping at WIDTH on ordinary spaces, as textwrap.fill would do with hyphens and
    long words left whole; textwrap costs several times more, for options a letter never uses.
    Each line is cut at the last space that fits, found by one search, not word by word.

    TEXT has single spaces and no other whitespace (see `_Text.flush`)."""
    lines = []
    prefix, start = first, 0
    while len(prefix) + len(text) - start > WIDTH:
        cut = text.rfind(" ", start, start + max(WIDTH - len(prefix), 0) + 1)
        if cut <= start:  # the first word alone is too long: it stays whole
            cut = text.find(" ", start + 1)
            if cut < 0:
                break
        lines.append(prefix + text[start:cut])
        prefix, start = rest, cut + 1
    lines.append(prefix + text[start:])
    return "\n".join(lines)
