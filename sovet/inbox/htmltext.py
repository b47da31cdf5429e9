"""An HTML-only email as plain text: paragraphs kept, quoted earlier messages left out.

Readers' HTML never reaches a page: it is reduced to text here, and that text later goes
through the readers' Markdown renderer like any other comment.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table"}
_SKIPPED = {"blockquote", "style", "script", "head", "title", "template"}
_QUOTE_CLASSES = {"gmail_quote", "gmail_attr", "moz-cite-prefix", "yahoo_quoted", "divRplyFwdMsg"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "area", "base", "source"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is it skipped?
        self.href: str | None = None

    @property
    def skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag in _BLOCKS and not self.skipping:
            self.parts.append("\n\n" if tag == "p" else "\n")
        if tag == "a" and not self.skipping:
            self.href = dict(attrs).get("href")
        if tag not in _VOID:
            self.stack.append(tag in _SKIPPED or bool(classes & _QUOTE_CLASSES))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.stack:
            self.stack.pop()
        if tag == "a" and self.href and not self.skipping:
            text = "".join(self.parts[-1:])
            if self.href.startswith(("http://", "https://")) and self.href not in text:
                self.parts.append(f" ({self.href})")
            self.href = None
        if tag in _BLOCKS and not self.skipping:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(source: str) -> str:
    parser = _Text()
    parser.feed(source)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
