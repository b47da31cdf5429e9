"""Dates and plural forms as people write them, in Russian and English."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import jinja2
import pytest

from sovet import i18n
from sovet.model import When
from sovet.problems import Problems
from sovet.render import theme
from sovet.settings import load_settings
from tests.conftest import PROJECT

N = "\u00a0"
LOCALES = (PROJECT / "themes" / "default" / "locales",)


def test_dates() -> None:
    day = dt.date(2015, 2, 27)
    assert i18n.date(day, "ru") == f"27{N}февраля 2015"
    assert i18n.date(day, "en") == f"February{N}27, 2015"
    at = When(dt.datetime(2015, 2, 27, 10, 30, tzinfo=ZoneInfo("Europe/Moscow")), True)
    assert i18n.moment(at, "ru") == f"27{N}февраля 2015, 10:30"
    assert i18n.moment(When(at.at, False), "ru") == f"27{N}февраля 2015"
    assert i18n.iso(at) == "2015-02-27T10:30:00+03:00"
    assert i18n.iso(When(at.at, False)) == "2015-02-27"
    assert i18n.month_year(day, "ru") == "февраль 2015"


@pytest.mark.parametrize(
    ("first", "last", "ru", "en"),
    [
        ((2015, 3, 2), (2015, 3, 8), f"2–8{N}марта 2015", f"March{N}2–8, 2015"),
        (
            (2015, 2, 23),
            (2015, 3, 1),
            f"23{N}февраля{N}— 1{N}марта 2015",
            f"February{N}23{N}— March{N}1, 2015",
        ),
        (
            (2014, 12, 29),
            (2015, 1, 4),
            f"29{N}декабря 2014{N}— 4{N}января 2015",
            f"December{N}29, 2014{N}— January{N}4, 2015",
        ),
    ],
)
def test_week_spans(
    first: tuple[int, int, int], last: tuple[int, int, int], ru: str, en: str
) -> None:
    assert i18n.day_range(dt.date(*first), dt.date(*last), "ru") == ru
    assert i18n.day_range(dt.date(*first), dt.date(*last), "en") == en


@pytest.mark.parametrize(
    ("count", "ru", "en"),
    [
        (0, "комментариев", "comments"),
        (1, "комментарий", "comment"),
        (2, "комментария", "comments"),
        (4, "комментария", "comments"),
        (5, "комментариев", "comments"),
        (11, "комментариев", "comments"),
        (12, "комментариев", "comments"),
        (21, "комментарий", "comments"),
        (22, "комментария", "comments"),
        (25, "комментариев", "comments"),
        (101, "комментарий", "comments"),
        (111, "комментариев", "comments"),
    ],
)
def test_plural_forms(count: int, ru: str, en: str) -> None:
    for language, word in (("ru", ru), ("en", en)):
        catalogue = i18n.translations(LOCALES, language)
        text = catalogue.ngettext("%(num)d comment", "%(num)d comments", count) % {"num": count}
        separator = N if language == "ru" else " "
        assert text == f"{count}{separator}{word}"


@pytest.mark.parametrize(
    "source",
    [
        "{{ _('Reply') }}",
        "{{ _('Comment by %(name)s', name=who) }}",
        "{% autoescape false %}{{ _('Comment by %(name)s', name=who) }}{% endautoescape %}",
        "{{ _('100%% sure') }}",
        "{{ _('Comment by %(name)s', name=who)|upper }}",
    ],
)
def test_the_themes_gettext_is_jinjas_own(source: str) -> None:
    """Templates' `_()` is called directly, and must give what the i18n extension's does:
    the reader's name escaped where the template escapes, the string always %-formatted."""
    stock = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    catalogue = i18n.translations(LOCALES, "ru")
    stock.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    settings = load_settings(PROJECT, Problems())
    assert settings is not None and settings.language == "ru"
    ours = theme.environment(
        theme.Theme("default", (), (), LOCALES), settings, theme.Assets({}, {})
    )
    who = "<b>Ann</b> & Co"
    shown = ours.from_string(source).render(who=who)
    assert shown == stock.from_string(source).render(who=who)
    assert "<b>" not in shown or "autoescape false" in source
