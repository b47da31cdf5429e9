"""A post's HTML as Markdown: WordPress's paragraphs, captions, shortcodes, splits."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sovet.importers import markup

_WORDS = st.text(alphabet="абвгд ежз.,!?-:;()«»\"'0123456789 xyz\n", max_size=200)


@settings(max_examples=200, deadline=None)
@given(_WORDS)
def test_plain_comments_skip_the_parser_and_come_out_the_same(text: str) -> None:
    """The fast way for plain text gives what markdownify gives (spacing at a line's ends
    aside: Markdown shows none of it)."""
    if not text.strip():
        return

    def shown(markdown: str) -> str:
        return re.sub(r"[ \t]*(\\?\n)[ \t]*", r"\1", markdown)

    fast = markup.text_to_markdown(text)
    assert shown(fast) == shown(markup.to_markdown(markup.prepared(text)[0]))


def test_classic_posts_get_their_paragraphs_and_captions() -> None:
    html, shortcodes = markup.prepared(
        'Первый абзац\nс переносом.\n\nВторой.\n\n[caption id="a" width="300"]'
        '<img src="/x.png" alt="Кот" /> Подпись[/caption]\n\n[gallery ids="1,2"]'
    )
    text = markup.to_markdown(html)
    assert text.startswith("Первый абзац\\\nс переносом.\n\nВторой.")
    assert "![Кот](/x.png)\\\n*Подпись*" in text
    assert shortcodes == ("gallery",) and "[gallery ids=" in text


def test_block_comments_go_and_splits_are_found() -> None:
    block = "<!-- wp:paragraph -->\n<p>Письмо.</p>\n<!-- /wp:paragraph -->"
    assert "wp:" not in markup.to_markdown(markup.prepared(block)[0])
    for html in ("<p>Письмо.</p><!--more--><p>Ответ.</p>", "<p>Письмо.</p><hr /><p>Ответ.</p>"):
        assert markup.split(html, None) == ("<p>Письмо.</p>", "<p>Ответ.</p>")
    quoted = "<blockquote><p>Письмо.</p></blockquote><p>Ответ.</p>"
    assert markup.split(quoted, None) == ("<p>Письмо.</p>", "<p>Ответ.</p>")
    greeting = re.compile(r"^Марина,")
    assert markup.split("<p>Письмо.</p><p>Марина, отвечаю.</p>", greeting) == (
        "<p>Письмо.</p>",
        "<p>Марина, отвечаю.</p>",
    )
    assert markup.split("<p>Только ответ.</p>", None) is None


def test_a_letter_keeps_its_text_and_gives_up_its_signature() -> None:
    assert markup.signature("Письмо.\n\nМарина Л.") == ("Письмо.", "Марина Л.")
    assert markup.signature("Письмо.\n\n— Иван, Казань") == ("Письмо.", "Иван, Казань")
    assert markup.signature("Письмо.\n\nСпасибо.") == ("Письмо.\n\nСпасибо.", "")
