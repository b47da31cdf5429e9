"""Readers' words through the readers' renderer: every vector of the corpus comes out inert.

The HTML is read back with real parsers (libxml2's through lxml, and Python's html.parser):
only the allow-listed tags survive, links carry only href and rel, and every href is http,
https or mailto as a browser would read it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Comment
from hypothesis import given, settings
from hypothesis import strategies as st

from sovet.markdown import READER_TAGS, render_reader
from tests.hostile.vectors import CONTROL, NAMES, RAW_HTML, VECTORS

SAFE_SCHEMES = {"http", "https", "mailto"}


def scheme(href: str) -> str:
    """The scheme a browser would see: it drops control characters and spaces around and in."""
    cleaned = "".join(ch for ch in href if ch > " ").lower()
    return urlsplit(cleaned).scheme


def assert_inert(html: str) -> None:
    for parser in ("lxml", "html.parser"):
        soup = BeautifulSoup(html, parser)
        for tag in soup.find_all(True):
            if tag.name in ("html", "body"):  # lxml's own wrapper
                continue
            assert tag.name in READER_TAGS, (tag.name, html)
            allowed = {"href", "rel", "title"} if tag.name == "a" else set()
            assert set(tag.attrs) <= allowed, (tag.attrs, html)
            if tag.name == "a" and tag.has_attr("href"):  # "[x]()" is a link to nowhere
                assert scheme(tag["href"]) in SAFE_SCHEMES, (tag["href"], html)
            if tag.name == "a":
                assert tag["rel"] == ["nofollow", "ugc"], html
        assert not soup.find_all(string=lambda s: isinstance(s, Comment)), html
        lowered = html.lower()  # a tag can only start with a bare "<": text has "&lt;"
        for word in ("<script", "<iframe", "<svg", "<style", "<form", "<img", "<math"):
            assert word not in lowered, (word, html)


def test_the_corpus_is_large_enough() -> None:
    assert len(VECTORS) >= 80
    assert len(set(VECTORS)) == len(VECTORS)


@pytest.mark.parametrize("typography", [False, True], ids=["plain", "typeset"])
def test_every_vector_is_inert(typography: bool) -> None:
    for vector in VECTORS + CONTROL + NAMES:
        for source in (vector, f"Текст до.\n\n{vector}\n\nи после {vector}"):
            assert_inert(render_reader(source, "ru", typography).html)


def test_raw_html_is_shown_as_text_not_dropped() -> None:
    for vector in RAW_HTML:
        rendered = render_reader(vector, "en", typography=False)
        text = BeautifulSoup(rendered.html, "lxml").get_text()
        assert "<" in text, (vector, rendered.html)


def test_images_become_links_and_safe_links_survive() -> None:
    html = render_reader(
        "![a cat](https://example.org/cat.png) [site](https://example.org/a?b=1&c=2) "
        "<mailto:editor@example.org> and https://example.org/bare",
        "en",
        typography=False,
    ).html
    soup = BeautifulSoup(html, "lxml")
    assert soup.find("img") is None
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert hrefs == [
        "https://example.org/cat.png",
        "https://example.org/a?b=1&c=2",
        "mailto:editor@example.org",
        "https://example.org/bare",
    ]
    assert_inert(html)


# Pieces the vectors are made of, for shuffling into new ones.
PIECES = [
    *("<", ">", "</", "/>", "script", "img", "svg", "a", "iframe", "style", " src=", " href="),
    *(" onerror=", " onload=", "=", '"', "'", "`", "javascript:", "JaVaScRiPt:", "data:"),
    *("vbscript:", "&#", "&#x", "106;", "6A", "&colon;", "&Tab;", "\t", " ", "\n", "alert(1)"),
    *("[x](", "![x](", ")", "<http", "://", "x.example", "**", "`", "<!--", "-->", "%0a"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
def test_shuffled_vectors_are_inert(source: str) -> None:
    assert_inert(render_reader(source, "ru", typography=True).html)
