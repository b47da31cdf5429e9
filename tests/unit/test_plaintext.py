"""The letter's text part: paragraphs wrapped like textwrap would, code left as it is."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from sovet.render.plaintext import WIDTH, LinkRefs, html_to_text

words = st.text(alphabet="абвгдxyz\u00a0-—«»", min_size=1, max_size=90)


@given(st.lists(words, min_size=1, max_size=40), st.sampled_from(["", "> ", "> > "]))
def test_paragraphs_wrap_as_textwrap_would(paragraph: list[str], quote: str) -> None:
    text = " ".join(paragraph).strip()  # a paragraph's edges lose even no-break spaces
    html = f"<p>{text}</p>"
    for _ in quote.split():
        html = f"<blockquote>{html}</blockquote>"
    expected = textwrap.fill(
        text,
        WIDTH,
        initial_indent=quote,
        subsequent_indent=quote,
        break_on_hyphens=False,
        break_long_words=False,
    )
    assert html_to_text(html, LinkRefs()) == expected


def test_list_items_hang_under_their_dash() -> None:
    item = " ".join(["слово"] * 30)
    lines = html_to_text(f"<ul><li>{item}</li></ul>", LinkRefs()).splitlines()
    assert lines[0].startswith("- слово")
    assert all(line.startswith("  слово") for line in lines[1:])
    assert max(map(len, lines)) <= WIDTH


def test_code_is_never_wrapped_or_squeezed() -> None:
    code = "x = call(" + ", ".join(f"arg{n}" for n in range(20)) + ")  # keep  spaces"
    text = html_to_text(f"<pre><code>{code}</code></pre><p>После.</p>", LinkRefs())
    assert text == f"{code}\n\nПосле."


def test_links_become_numbered_references() -> None:
    refs = LinkRefs()
    html = '<p>См. <a href="https://a.example/">здесь</a> и <a href="#x">тут</a>.</p>'
    text = html_to_text(html, refs)
    assert text == "См. здесь [1] и тут."
    assert refs.lines() == ["[1] https://a.example/"]
