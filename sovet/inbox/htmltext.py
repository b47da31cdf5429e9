"""An HTML-only email as plain text: paragraphs kept, quoted earlier messages marked.

Readers' HTML never reaches a page: it is reduced to text here, and that text later goes
through the readers' Markdown renderer like any other comment. A quoted message (a
blockquote, Gmail's or Thunderbird's quote blocks) comes out as `> ` lines, as a plain-text
mail would quote it, so that one rule cuts quotes from both, whether the reader wrote above
the quote or under it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that end a line, as a browser shows them; a paragraph also leaves a blank line.
_BLOCKS = {"div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "ul", "ol"}
_PARAGRAPHS = {"p", "blockquote"}
_SKIPPED = {"style", "script", "head", "title", "template"}
# What clients wrap around an attribution or a quoted message. Gmail's `gmail_quote` div is
# not among them: a reader answering between the quoted parts writes inside it.
_QUOTE_CLASSES = {"gmail_attr", "moz-cite-prefix", "yahoo_quoted", "divRplyFwdMsg"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "area", "base", "source"}
_SKIP, _QUOTE = 1, 2


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, int]] = []  # finished lines, each with its quote depth
        self.line: list[str] = []  # the line being written
        self.depth = 0  # the quote depth of the line being written (of its first words)
        self.blank_after = False  # a paragraph ended: a blank line before the next text
        self.stack: list[int] = []  # per open element: _SKIP, _QUOTE or 0
        self.skipped = 0  # open elements whose text is left out
        self.quotes = 0  # open quotes
        self.href: str | None = None

    def end_line(self) -> None:
        """Ends the line being written, if anything is on it. A line of no-break spaces alone
        (Yandex Mail's and Outlook's empty line, `<div>&nbsp;</div>`) is a blank line, as a
        browser shows it."""
        text = "".join(self.line)
        if text.strip():
            self.lines.append((text, self.depth))
        elif "\xa0" in text and not self.skipped:
            self.lines.append(("", 0))
        self.line = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = set((values.get("class") or "").split()) | {values.get("id") or ""}
        quote = tag == "blockquote" or bool(classes & _QUOTE_CLASSES)
        if tag == "br" and not self.skipped:
            if not "".join(self.line).strip():
                self.lines.append(("", 0))  # a line left empty on purpose
            self.end_line()
        elif tag in _BLOCKS or tag in _PARAGRAPHS or quote:
            self.end_line()
            self.blank_after = self.blank_after or tag in _PARAGRAPHS
        if tag == "a" and not self.skipped:
            self.href = values.get("href")
        if tag not in _VOID:
            kind = _SKIP if tag in _SKIPPED else _QUOTE if quote else 0
            self.stack.append(kind)
            self.skipped += kind == _SKIP
            self.quotes += kind == _QUOTE

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        kind = self.stack.pop() if self.stack else 0
        self.skipped -= kind == _SKIP
        self.quotes -= kind == _QUOTE
        if tag == "a" and self.href and not self.skipped:
            text = "".join(self.line)
            if self.href.startswith(("http://", "https://")) and self.href not in text:
                self.handle_data(f" ({self.href})")
            self.href = None
        if tag in _BLOCKS or tag in _PARAGRAPHS or kind == _QUOTE:
            self.end_line()
            self.blank_after = self.blank_after or tag in _PARAGRAPHS

    def handle_data(self, data: str) -> None:
        if self.skipped:
            return
        text = re.sub(r"[ \t\r\n\f]+", " ", data)
        if not "".join(self.line).strip() and text.strip():
            if self.blank_after and self.lines:
                self.lines.append(("", 0))
            self.blank_after = False
            self.depth = self.quotes  # a line is as deep as the quote its first words are in
        self.line.append(text)


def html_to_text(source: str) -> str:
    """The text of an HTML mail, a line for each line a browser would show, quotes as `> `."""
    parser = _Text()
    parser.feed(source)
    parser.close()
    parser.end_line()
    lines = [f"{'> ' * depth}{text.strip()}".rstrip() for text, depth in parser.lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
