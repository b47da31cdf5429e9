"""Rules shared by every language: spaces, symbols, ellipsis and dashes.

Patterns consume as little as they can and see context through lookarounds, so
an edit rarely touches a token boundary (see run.Run.apply). Each starts with a
literal or a narrow class, with lookbehinds after it, which keeps scans fast.
"""

from __future__ import annotations

import re

from sovet.typography.run import Rule, rule

NBSP = "\u00a0"
DIGITS = "0123456789"
_LETTER = r"[^\W\d_]"

_SYMBOLS = {"c": "©", "с": "©", "r": "®", "tm": "™"}


def _symbol(match: re.Match[str]) -> str:
    return _SYMBOLS[match.group()[1:-1].lower()]


def _spaced_dash(match: re.Match[str]) -> str:
    """An em dash glued to the word before it, then an ordinary space."""
    return NBSP + "—" + (" " if match.group().endswith((" ", NBSP)) else "")


def _range(match: re.Match[str]) -> str:
    return match.group().replace("-", "–")


SPACES = rule("spaces", r" (?<=\S ) +(?=\S)", " ", ("  ",))
SYMBOLS = rule("symbols", r"\((?<!\w\()(?:c|с|r|tm)\)", _symbol, "(", flags=re.IGNORECASE)
PLUS_MINUS = rule("plus-minus", r"\+(?<![+\-]\+)-(?![+\-])", "±", ("+-",))
ELLIPSIS = rule("ellipsis", r"\.(?<![.?!…]\.)\.\.(?!\.)", "…", ("...",))

DIALOGUE = rule("dialogue", r"[-—](?<![^\n\u2028].)(?:(?<=-)-)?[ \u00a0](?=\S)", "—" + NBSP, "-—")
DASH_BETWEEN_WORDS = rule(
    "dash-between-words", rf"-(?<={_LETTER}-)-(?={_LETTER})", NBSP + "— ", ("--",)
)
SPACED_DASH = rule(
    "spaced-dash",
    r"[ \u00a0](?<=\S.)[ \u00a0]*(?:--?|—)(?:[ \u00a0](?=\S)|(?=[\n\u2028]))",
    _spaced_dash,
    "-—",
)
NUMBER_RANGE = rule(
    "number-range",
    r"[0-9](?<![\w.,:/+\-–][0-9])[0-9]*-[0-9]+(?![\w\-–]|[.,:/][0-9])",
    _range,
    "-",
    keeps_length=True,
)

# The order matters: spaces are collapsed before dashes look for them.
BASE: tuple[Rule, ...] = (SPACES, SYMBOLS, PLUS_MINUS, ELLIPSIS)
DASHES: tuple[Rule, ...] = (DASH_BETWEEN_WORDS, SPACED_DASH, NUMBER_RANGE)
