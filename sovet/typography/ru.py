"""Russian rules, after typograf's ru set: «ёлочки», dashes and no-break spaces.

Apart from the shared ones, every rule here only turns a space into a no-break
space, so all of them keep lengths (see run.Rule).
"""

from __future__ import annotations

import re

from sovet.typography.common import BASE, DASHES, DIALOGUE, DIGITS, NBSP
from sovet.typography.quotes import QuoteStyle
from sovet.typography.run import Replacement, Rule, rule

_CYR = "[А-Яа-яЁё]"
_UNITS = "%‰‱°₽€$£¥"
_NOT_BEFORE_WORD = r"[\w\-.'’\ufffc]"  # a short word must not continue another one
_SURNAME_END = re.compile(r"(?<![\w\-])[А-ЯЁ][а-яё]+\Z")


def _glue_last(match: re.Match[str]) -> str:
    """Turn the space that ends the match into a no-break one."""
    return match.group()[:-1] + NBSP


def _glue_groups(match: re.Match[str]) -> str:
    return match.group().replace(" ", NBSP)


def _after_surname(match: re.Match[str]) -> str:
    """Glue a trailing initial only to a capitalised word: «Иван К.»."""
    start = match.start()
    return NBSP if _SURNAME_END.search(match.string, max(0, start - 40), start) else " "


def _glue(
    name: str, pattern: str, replace: str | Replacement, triggers: str | tuple[str, ...]
) -> Rule:
    return rule(name, pattern, replace, triggers, keeps_length=True)


THOUSANDS = _glue(
    "thousands",
    r"[0-9](?<![0-9.,][0-9])[0-9]{0,2}(?:[ \u00a0][0-9]{3})+(?![0-9])",
    _glue_groups,
    DIGITS,
)
NUMBER_WORD = _glue(
    "number-word",
    rf"[0-9](?<!\w[0-9])[0-9]*(?:[.,][0-9]+)* (?={_CYR}|[{_UNITS}])",
    _glue_last,
    DIGITS,
)
SIGNS = _glue("signs", r"[§№] (?=[0-9])", _glue_last, "§№")
INITIALS = _glue(
    "initials",
    r"\.(?<=[А-ЯЁA-Z]\.)(?<![\w.\-][А-ЯЁA-Z]\.) (?=[А-ЯЁA-Z])",
    "." + NBSP,
    (". ",),
)
SURNAME_INITIAL = _glue("surname-initial", r" (?=[А-ЯЁ]\.(?!\w))(?<=[а-яё] )", _after_surname, ".")
ABBREVIATIONS = _glue(
    "abbreviations",
    r"\.(?<=[а-яё]\.)(?<![\w.\-][а-яё]\.) (?=[а-яё]\.)",
    "." + NBSP,
    (". ",),
)
# A space after three word characters ends a longer word: that test alone turns most spaces
# down, before the four look-behinds that find a short word.
SHORT_WORDS = _glue(
    "short-words",
    rf" (?<!\w{{3}} )(?:(?<={_CYR} )(?<!{_NOT_BEFORE_WORD}{_CYR} )"
    rf"|(?<={_CYR}{{2}} )(?<!{_NOT_BEFORE_WORD}{_CYR}{{2}} ))(?=\S)",
    NBSP,
    (" ",),
)
PARTICLES = _glue(
    "particles",
    r" (?=(?:ли|ль|же|ж|бы|б)(?![\w\-]))(?<=[\w\ufffc)\]…\"'«»„“”‘’] )",
    NBSP,
    ("ли", "ль", "ж", "б"),
)

RULES: tuple[Rule, ...] = (
    *BASE,
    *DIALOGUE,
    *DASHES,
    THOUSANDS,
    NUMBER_WORD,
    SIGNS,
    INITIALS,
    SURNAME_INITIAL,
    ABBREVIATIONS,
    SHORT_WORDS,
    PARTICLES,
)

QUOTES = QuoteStyle(
    levels=(("«", "»"), ("„", "“")),
    openers="«„",
    closers="»“",
    closing={"«": "»", "„": "“"},
)
