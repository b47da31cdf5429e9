"""The two renderers: editors' Markdown is trusted, readers' words can carry nothing live."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sovet import markdown
from sovet.markdown import plain_text, render_editor, render_reader, summary


def reader(source: str) -> BeautifulSoup:
    return BeautifulSoup(render_reader(source, "ru", typography=False).html, "lxml")


def test_editors_may_use_raw_html_tables_and_footnotes() -> None:
    html = render_editor(
        '<span class="x">Да</span>\n\n| a |\n|---|\n| b |\n\nТекст[^1]\n\n[^1]: Сноска\n',
        "ru",
        False,
    ).html
    soup = BeautifulSoup(html, "lxml")
    assert soup.select_one("span.x") is not None
    assert soup.select_one("table td").get_text() == "b"
    assert soup.select_one(".footnotes") is not None


def test_reader_raw_html_is_text() -> None:
    soup = reader("Привет <script>alert(1)</script> <b onclick='x()'>жирный</b>")
    assert soup.find("script") is None
    assert soup.find("b") is None
    assert "<script>alert(1)</script>" in soup.get_text()


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "[x](/relative/path)",
        "[x](java\tscript:alert(1))",
        "<javascript:alert(1)>",
    ],
)
def test_reader_unsafe_links_do_not_survive(link: str) -> None:
    soup = reader(link)
    for anchor in soup.find_all("a"):
        assert anchor["href"].startswith(("http://", "https://", "mailto:")), anchor


def test_reader_links_are_nofollow_ugc_and_linkified() -> None:
    soup = reader(
        "[сайт](https://example.org) и http://ex.org/путь и <mailto:a@b.ru>, не README.md"
    )
    links = soup.find_all("a")
    assert links[0]["href"] == "https://example.org"
    assert len(links) == 3
    assert all(a["rel"] == ["nofollow", "ugc"] for a in links)


def test_reader_images_become_links_and_headings_stay_text() -> None:
    soup = reader("![кот](https://ex.org/cat.png)\n\n# Заголовок")
    assert soup.find("img") is None
    assert soup.find("a")["href"] == "https://ex.org/cat.png"
    assert soup.find("h1") is None


def test_plain_text_and_summary() -> None:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse("Первый *абзац*\nстрока.\n\n```\nкод\n```\n")
    assert plain_text(tokens) == "Первый абзац строка.\n\nкод"
    assert summary("слово " * 100, limit=20) == "слово слово слово…"
    assert summary("a\u00a0b  c") == "a\u00a0b c"


PIECES = [
    "http://",
    "https://",
    "www.",
    "ex.org",
    "a@b.ru",
    "@",
    "(",
    ")",
    "<",
    ">",
    "[x]",
    " ",
    "\n",
    "слово",
    ".",
    "/path",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
def test_the_quick_link_check_never_changes_the_result(source: str) -> None:
    """Paragraphs without a bare address skip linkify; the HTML must be what linkify gives."""
    for make in (markdown._editor_parser, markdown._reader_parser):
        stock = make()
        assert stock.linkify is not None
        del stock.linkify.pretest  # linkify-it's own pre-check again
        assert make().render(source) == stock.render(source), source


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="аб в\n\t\u00a0.,—", max_size=700), st.integers(min_value=5, max_value=300))
@example(" \n" * 30 + "слово " * 40, 20)  # the start is all spaces: the whole text is needed
def test_summary_reads_only_what_it_needs(text: str, limit: int) -> None:
    """Flattening only the start of a long text gives the summary of the whole text."""
    flat = re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()
    if len(flat) <= limit:
        assert summary(text, limit) == flat
    else:
        cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:—–-")
        assert summary(text, limit) == cut + "…"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\n\r\f\v\u00a0\u2028аb", max_size=80))
def test_one_space_makes_each_run_of_ascii_whitespace_one_space(text: str) -> None:
    """Letters, feeds and descriptions flatten texts with it; a no-break space is a word's."""
    assert markdown.one_space(text) == re.sub(r"[ \t\n\r\f\v]+", " ", text)


def test_links_are_read_from_the_html_not_from_its_text() -> None:
    editor = render_editor(
        "[a](/x/) ![b](/p.png) <a href='#top'>c</a> `<a href='/code/'>`", "ru", True
    )
    assert editor.links == ("/x/", "/p.png", "#top")
    reader = render_reader(
        "<a href='/nowhere/'>d</a> [e](https://example.org/y/) [f](/relative/)", "ru", True
    )
    assert reader.links == ("https://example.org/y/",)


def test_each_link_knows_the_line_of_its_file_it_is_written_on() -> None:
    """The link check reports `file:line` from these, without reading the file again."""
    source = "Первый абзац.\n\nВторой, со [ссылкой](/x/)\nи ещё <https://example.org/y/>.\n\n[b]: /z/\n[c][b]\n"
    rendered = render_editor(source, "ru", True, first_line=5)
    assert rendered.links == ("/x/", "https://example.org/y/", "/z/")
    assert rendered.link_lines == (7, 8, 10)
    encoded = render_reader("Текст\n[раз](https://example.org/путь/)", "ru", True, first_line=4)
    assert encoded.links == ("https://example.org/%D0%BF%D1%83%D1%82%D1%8C/",)
    assert encoded.link_lines == (5,)
