"""Every URL from one place: permalinks, slugs, output paths."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from sovet import urls


def test_permalink_fields() -> None:
    day = dt.date(2015, 2, 7)
    assert urls.advice("/advice/{slug}/", "a-b", day) == "/advice/a-b/"
    assert urls.advice("/{year}/{month}/{day}/{slug}/", "x", day) == "/2015/02/07/x/"
    assert urls.advice("/{date}-{slug}/", "x", day) == "/20150207-x/"


def test_cyrillic_tags_get_latin_slugs() -> None:
    assert urls.tag_slug("Оплата после сбоя") == "oplata-posle-sboya"
    assert urls.tag_slug("Юрий Йошкин, объём") == "yuriy-yoshkin-obyom"
    assert urls.tag_slug("Письма клиенту") == "pisma-klientu"
    assert urls.tag_slug("Щука и жираф") == "shchuka-i-zhiraf"
    assert urls.tag_slug("!!!") == ""


def test_site_urls() -> None:
    assert urls.home(1) == "/"
    assert urls.home(3) == "/page/3/"
    assert urls.week(2026, 7) == "/weekly/2026-w07/"
    assert urls.comment("/advice/x/", "c1") == "/advice/x/#comment-c1"
    assert urls.absolute("https://ex.org/sub/", "/advice/x/") == "https://ex.org/sub/advice/x/"


def test_output_paths() -> None:
    assert urls.output_path("/") == PurePosixPath("index.html")
    assert urls.output_path("/advice/x/") == PurePosixPath("advice/x/index.html")
    assert urls.output_path("/sitemap.xml") == PurePosixPath("sitemap.xml")
