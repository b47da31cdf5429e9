"""English rules, after typograf's en-US set: “curly” quotes, apostrophes, dashes."""

from __future__ import annotations

import re

from sovet.typography.common import BASE, DASHES, NBSP
from sovet.typography.quotes import QuoteStyle
from sovet.typography.run import Rule, rule

_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Prof")


def _glue_last(match: re.Match[str]) -> str:
    return match.group()[:-1] + NBSP


TITLES = rule(
    "titles",
    rf"(?<![\w.])(?:{'|'.join(_TITLES)})\. (?=\S)",
    _glue_last,
    tuple(f"{title}. " for title in _TITLES),
    keeps_length=True,
)

RULES: tuple[Rule, ...] = (*BASE, *DASHES, TITLES)

QUOTES = QuoteStyle(
    levels=(("“", "”"), ("‘", "’")),
    openers="“‘«",
    closers="”»",
    singles=True,
    closing={"“": "”", "‘": "’", "«": "»"},
)
