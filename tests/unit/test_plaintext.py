"""The letter's text part: paragraphs wrapped like textwrap would, code left as it is."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from sovet.render.plaintext import WIDTH, LinkRefs, html_to_text

# Words with letters: textwrap drops a word of no-break spaces alone at a line's end (it
# strips them as whitespace there, nowhere else); the letter keeps what the text has.
words = st.text(alphabet="абвгдxyz\u00a0-—«»", min_size=1, max_size=90).filter(str.strip)


# A quotation nested so deep that its marks alone are wider than a line: a word per line.
DEEP = "> " * 40


@given(st.lists(words, min_size=1, max_size=40), st.sampled_from(["", "> ", "> > ", DEEP]))
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


def test_a_loose_list_keeps_its_dashes_on_its_items() -> None:
    item = " ".join(["слово"] * 30)
    html = f"<ul>\n<li>\n<p>{item}</p>\n</li>\n<li>\n<p>второй</p>\n</li>\n</ul>"
    text = html_to_text(html, LinkRefs())
    first, second = text.split("\n\n")
    assert first.startswith("- слово") and second == "- второй"
    assert all(line.startswith("  слово") for line in first.splitlines()[1:])


def test_a_paragraph_that_starts_with_a_dash_is_not_a_list_item() -> None:
    text = " ".join(["-", *["слово"] * 30])
    assert html_to_text(f"<p>{text}</p>", LinkRefs()).splitlines()[1].startswith("слово")


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
