"""'Did you mean': the closest choice, as difflib would choose it, found without comparing
every choice in full (a large site has thousands of pages to suggest)."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from sovet.problems import closest

PAGES = st.text(alphabet="/-abcdeo0123456789", min_size=0, max_size=24)


@settings(max_examples=400, deadline=None)
@given(PAGES, st.lists(PAGES, max_size=60))
def test_the_same_choice_as_difflib(word: str, choices: list[str]) -> None:
    choices = [c for c in choices if c.casefold() != word.casefold()]
    expected = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    assert closest(word, choices) == (expected[0] if expected else None)


def test_a_page_of_a_large_site() -> None:
    pages = [f"/advice/sovet-{n:05d}/" for n in range(10000)]
    for word in ("/advice/sovet-0985/", "/advice/985/", "/advise/sovet-12/"):
        assert closest(word, pages) == difflib.get_close_matches(word, pages, 1)[0]
    assert closest("/ADVICE/SOVET-00001/", pages) == "/advice/sovet-00001/"  # case alone
    assert closest("/tags/", pages) is None
