"""Pairing of straight quotes into typographic ones.

Whether a quote opens or closes is decided from its neighbours; nesting comes
from a stack that also holds quotes typeset earlier, so a second pass makes the
same decisions as the first and changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sovet.typography.run import PLACEHOLDER

QUOTE_CHARS = "\"'«»„“”‘’‚"
# An opaque object (code, image, URL) may stand on either side of a quote, like
# another quote does: `"`code`"` opens and closes.
_EITHER = QUOTE_CHARS + PLACEHOLDER
_OPENING_CONTEXT = "([{-–—"
_CLOSING_CONTEXT = ".,;:!?)]}…"
_DECADE = re.compile(r"\d\d(?!\d)")

SPACE, OPEN, CLOSE, QUOTE, OTHER = range(5)


def _left(char: str) -> int:
    if not char or char.isspace():
        return SPACE
    if char in _EITHER:
        return QUOTE
    return OPEN if char in _OPENING_CONTEXT else OTHER


def _right(char: str) -> int:
    if not char or char.isspace():
        return SPACE
    if char in _EITHER:
        return QUOTE
    return CLOSE if char in _CLOSING_CONTEXT else OTHER


def _can_open(left: int, right: int) -> bool:
    return left in (SPACE, OPEN, QUOTE) and right in (OTHER, QUOTE)


def _can_close(left: int, right: int) -> bool:
    return left in (OTHER, QUOTE) and right in (SPACE, CLOSE, QUOTE)


@dataclass(frozen=True)
class QuoteStyle:
    """The quote marks of one language, outer level first."""

    levels: tuple[tuple[str, str], ...]
    openers: str  # typographic quotes that open a level
    closers: str  # typographic quotes that close whatever level is open
    singles: bool = False  # also pair ' and turn apostrophes into ’
    closing: dict[str, str] = field(default_factory=dict)
    scan: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        straight = "\"'" if self.singles else '"'
        chars = straight + self.openers + self.closers + ("’" if self.singles else "")
        object.__setattr__(self, "scan", re.compile(f"[{re.escape(chars)}]"))

    def has_work(self, text: str) -> bool:
        """Only straight quotes are ever changed, so skip text without them."""
        return '"' in text or (self.singles and "'" in text)


def _double(stack: list[str], style: QuoteStyle, left: int, right: int) -> str | None:
    if stack and _can_close(left, right):
        return style.closing[stack.pop()]
    if _can_open(left, right):
        opener = style.levels[len(stack) % len(style.levels)][0]
        stack.append(opener)
        return opener
    return None


def _single(stack: list[str], text: str, index: int, left: int, right: int) -> str | None:
    if left == OTHER and right == OTHER:
        return "’"
    if stack and stack[-1] == "‘" and _can_close(left, right):
        stack.pop()
        return "’"
    if _can_open(left, right):
        if _DECADE.match(text, index + 1):
            return "’"
        stack.append("‘")
        return "‘"
    return "’" if _can_close(left, right) else None


def pair_quotes(text: str, style: QuoteStyle, stack: list[str] | None = None) -> dict[int, str]:
    """Map the index of each straight quote to be typeset to its new character.

    STACK holds the quotes still open from the paragraphs before (and is left holding those
    this one leaves open): a quotation over several paragraphs opens in the first and closes
    in the last. A paragraph that starts with a quote while one is open repeats its opener,
    as Russian typesetting opens each quoted paragraph, and opens no new level."""
    changes: dict[int, str] = {}
    stack = [] if stack is None else stack
    if not style.has_work(text) and not (stack and text[:1] in style.openers):
        return changes
    last = len(text) - 1
    for match in style.scan.finditer(text):
        index = match.start()
        char = text[index]
        left = _left(text[index - 1] if index else "")
        right = _right(text[index + 1] if index < last else "")
        new: str | None = None
        if index == 0 and stack and (char == stack[-1] or (char == '"' and right != SPACE)):
            new = None if char == stack[-1] else stack[-1]  # the open quote's paragraph
        elif char == '"':
            new = _double(stack, style, left, right)
        elif char == "'":
            new = _single(stack, text, index, left, right)
        elif char in style.openers:
            stack.append(char)
        elif char in style.closers:
            if stack:
                stack.pop()
        elif stack and stack[-1] == "‘" and _can_close(left, right):
            stack.pop()  # a ’ that closed a single quote on the first pass
        if new is not None:
            changes[index] = new
    return changes
