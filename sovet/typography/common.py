"""Rules shared by every language: spaces, symbols, ellipsis and dashes.

Patterns consume as little as they can and see context through lookarounds, so
an edit rarely touches a token boundary (see run.Run._apply). Each starts with a
literal or a narrow class, and the test that fails most often comes next, which
keeps scans fast.
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


def _dash_spaces(match: re.Match[str]) -> str:
    """An em dash glued to the word before it, then an ordinary space."""
    return NBSP + "—" + (" " if len(match.group()) == 3 else "")


def _range(match: re.Match[str]) -> str:
    return match.group().replace("-", "–")


SPACES = rule("spaces", r" (?<=\S ) +(?=\S)", " ", ("  ",))
SYMBOLS = rule("symbols", r"\((?<!\w\()(?:c|с|r|tm)\)", _symbol, "(", flags=re.IGNORECASE)
PLUS_MINUS = rule("plus-minus", r"\+(?<![+\-]\+)-(?![+\-])", "±", ("+-",))
ELLIPSIS = rule("ellipsis", r"\.(?<![.?!…]\.)\.\.(?!\.)", "…", ("...",))

# Dashes are made in two steps: first the hyphens become a dash (the only edit
# that changes length, and it touches nothing but the hyphens), then the spaces
# around the dash are fixed one for one. A single edit spanning both could be
# refused at a token boundary on one pass and accepted on the next.
DIALOGUE_DASH = rule("dialogue-dash", r"-(?<![^\n\u2028]-)-?(?=[ \u00a0]\S)", "—", "-")
DIALOGUE_SPACE = rule(
    "dialogue-space", r"—(?<![^\n\u2028]—) (?=\S)", "—" + NBSP, "—", keeps_length=True
)
DASH_BETWEEN_WORDS = rule(
    "dash-between-words", rf"-(?<={_LETTER}-)-(?={_LETTER})", NBSP + "— ", ("--",)
)
SPACED_DASH = rule("spaced-dash", r"-(?<=\S[ \u00a0]-)-?(?=[ \u00a0]\S|[\n\u2028])", "—", "-")
DASH_SPACES = rule(
    "dash-spaces",
    r"[ \u00a0]—(?<=\S..)(?:[ \u00a0](?=\S)|(?=[\n\u2028]))",
    _dash_spaces,
    "—",
    keeps_length=True,
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
DIALOGUE: tuple[Rule, ...] = (DIALOGUE_DASH, DIALOGUE_SPACE)
DASHES: tuple[Rule, ...] = (DASH_BETWEEN_WORDS, SPACED_DASH, DASH_SPACES, NUMBER_RANGE)
