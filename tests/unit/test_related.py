"""Related advices: the ones sharing most tags, newest first among equals, or the editor's."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sovet.assemble import RELATED_COUNT, _related_slugs


def column(tag_sets: list[set[str]], chosen: dict[int, list[str]] | None = None) -> Any:
    """Advices newest first, as `_related_slugs` gets them; only what it reads of them."""
    chosen = chosen or {}
    return tuple(
        SimpleNamespace(
            slug=f"a{i}",
            tags=tuple(SimpleNamespace(slug=t) for t in sorted(tags)),
            related_slugs=tuple(chosen.get(i, ())),
        )
        for i, tags in enumerate(tag_sets)
    )


def by_sorting(advices: Any) -> dict[str, tuple[str, ...]]:
    """The definition, spelled out: every other advice sharing a tag, by shared tags, then
    newest first."""
    found = {}
    for advice in advices:
        mine = {t.slug for t in advice.tags}
        others = [
            (-len(mine & {t.slug for t in other.tags}), rank, other.slug)
            for rank, other in enumerate(advices)
            if other is not advice and mine & {t.slug for t in other.tags}
        ]
        found[advice.slug] = tuple(slug for _, _, slug in sorted(others)[:RELATED_COUNT])
    return found


@given(st.lists(st.sets(st.sampled_from("abcdef"), max_size=4), max_size=40))
def test_the_advices_sharing_most_tags_newest_first(tag_sets: list[set[str]]) -> None:
    advices = column(tag_sets)
    assert _related_slugs(advices) == by_sorting(advices)


def test_an_example_read_by_hand() -> None:
    advices = column([{"x", "y"}, {"x"}, {"x", "y", "z"}, {"y"}, {"z"}, {"x", "y"}, set()])
    related = _related_slugs(advices)
    assert related["a0"] == ("a2", "a5", "a1")  # both tags twice, then the newest with one
    assert related["a4"] == ("a2",)
    assert related["a6"] == ()


def test_the_editors_choice_wins_and_never_names_the_advice_itself() -> None:
    advices = column([{"x"}, {"x"}, {"x"}], chosen={1: ["a2", "a1"]})
    assert _related_slugs(advices)["a1"] == ("a2",)
