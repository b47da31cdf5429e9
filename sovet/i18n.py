"""Dates, plural forms and UI strings per language, with Babel.

UI strings live in the theme (themes/<name>/locales/<language>.po): a third language is a new
catalogue, not code. Catalogues are compiled in memory, so nothing built is committed.
"""

from __future__ import annotations

import datetime as dt
import io
import stat
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date, format_time
from babel.support import NullTranslations, Translations

from .model import When

NBSP = "\u00a0"
_DATE = {"ru": "d MMMM y", "en": "MMMM d, y"}
_DAY_MONTH = {"ru": "d MMMM", "en": "MMMM d"}


def date(value: dt.date | When, language: str) -> str:
    """'27 февраля 2015', 'February 27, 2015'."""
    day = value.date if isinstance(value, When) else value
    return _date(day, language)


@lru_cache(maxsize=65536)
def _date(day: dt.date, language: str) -> str:
    """Babel is slow and a column repeats its dates on many pages: format each once.

    The day and the month never part at a line end: '27\u00a0февраля 2015'.
    """
    return _bind(format_date(day, _DATE.get(language, "long"), locale=language))


def _bind(text: str) -> str:
    return text.replace(" ", NBSP, 1)


def moment(value: When, language: str) -> str:
    """The date, and the time of day when the content gave one: '27 февраля 2015, 10:30'."""
    text = date(value, language)
    if not value.has_time:
        return text
    return f"{text}, {_time(value.at.time(), language)}"


@lru_cache(maxsize=4096)
def _time(moment: dt.time, language: str) -> str:
    return format_time(moment, "short", locale=language)


def month_year(value: dt.date, language: str) -> str:
    """'февраль 2015' (the stand-alone month form), 'February 2015'."""
    return format_date(value, "LLLL y", locale=language)


def day_range(first: dt.date, last: dt.date, language: str) -> str:
    """A week's span: '23 февраля — 1 марта 2015', '2–8 марта 2015' in one month."""
    if first.year != last.year:
        return f"{date(first, language)}{NBSP}— {date(last, language)}"
    if first.month == last.month:
        if language == "en":
            start = _bind(format_date(first, "MMMM d", locale=language))
            return f"{start}–{last.day}, {last.year}"
        return f"{first.day}–{date(last, language)}"
    start = _bind(format_date(first, _DAY_MONTH.get(language, "MMMM d"), locale=language))
    return f"{start}{NBSP}— {date(last, language)}"


def iso(value: dt.date | When) -> str:
    """Machine-readable date or date-time for <time datetime>, feeds and the sitemap."""
    if isinstance(value, When):
        return value.at.isoformat() if value.has_time else value.date.isoformat()
    return value.isoformat()


@lru_cache(maxsize=16)
def N_(message: str) -> str:
    """Marks a message for the catalogues where it is defined, translated where it is used
    (the standard gettext idiom for constants)."""
    return message


# A catalogue's .po bytes and language -> its compiled (.mo) bytes.
Compile = Callable[[bytes, str], bytes]

# This process's compiled catalogues by the file's path, time and size and the language: a
# build asks for one twice, and `serve` sees an edited catalogue as a new version.
_MEMO: dict[tuple[str, int, int, str], bytes] = {}
_MEMO_SIZE = 16


def translations(
    locale_dirs: Sequence[Path], language: str, compile: Compile | None = None
) -> NullTranslations:
    """The theme's catalogue for a language, the first found among locale_dirs. COMPILE: how
    a catalogue not compiled yet in this process is (the build cache keeps them between
    builds); `compile_catalogue` by default."""
    for folder in locale_dirs:
        path = folder / f"{language}.po"
        try:
            info = path.stat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            key = (str(path), info.st_mtime_ns, info.st_size, language)
            compiled = _MEMO.get(key)
            if compiled is None:
                compiled = (compile or compile_catalogue)(path.read_bytes(), language)
                if len(_MEMO) >= _MEMO_SIZE:
                    del _MEMO[next(iter(_MEMO))]
                _MEMO[key] = compiled
            return Translations(fp=io.BytesIO(compiled))
    return NullTranslations()


def compile_catalogue(po: bytes, language: str) -> bytes:
    """A .po catalogue compiled as msgfmt would. Babel's reader is imported here, not with
    the module: with the e-mail parser it reads the catalogue's header with, 0.03 s of every
    build that has its catalogue compiled already."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()
