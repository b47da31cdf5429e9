"""The render cache between two builds: a kept page gets the new shared part in its place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sovet.model import Card, When
from sovet.render.cache import NOWHERE, Kept, Previous, RenderCache, Shared, fingerprint

OLD = b"<aside>recent: a (3)</aside>"
NEW = b"<aside>recent: b (1), a (3)</aside>"
PAGE = b"<html><p>recent:</p>" + OLD + b"<p>the advice</p></html>"


def first_build(folder: Path, page: bytes = PAGE) -> RenderCache:
    """A build that made /a/ holding the shared part OLD, as the next build finds it."""
    made = RenderCache(keep=False, records=True)
    made.start(b"epoch")
    made.store("/a/", ("inputs",), page, Shared(("a",), OLD))
    (folder / "a").mkdir()
    (folder / "a" / "index.html").write_bytes(page)
    return made


def next_build(folder: Path, made: RenderCache) -> RenderCache:
    cache = RenderCache(keep=False, records=True)
    cache.previous = Previous(folder, made.index, OLD)
    cache.start(b"epoch")
    return cache


def test_a_kept_page_gets_the_new_shared_part_where_the_old_one_was(tmp_path: Path) -> None:
    made = first_build(tmp_path)
    assert made.index["/a/"][1] == PAGE.index(OLD)
    cache = next_build(tmp_path, made)
    found = cache.lookup("/a/", ("inputs",), Shared(("b", "a"), NEW))
    assert found == PAGE.replace(OLD, NEW)
    assert cache.index["/a/"] == made.index["/a/"]  # the part starts where it did


def test_an_unchanged_shared_part_keeps_the_file(tmp_path: Path) -> None:
    cache = next_build(tmp_path, first_build(tmp_path))
    found = cache.lookup("/a/", ("inputs",), Shared(("a",), OLD))
    assert found == Kept(f"{tmp_path}/a/index.html")


def test_a_page_without_the_part_where_it_was_is_made_again(tmp_path: Path) -> None:
    made = first_build(tmp_path)
    (tmp_path / "a" / "index.html").write_bytes(b"<p>moved</p>" + PAGE)
    cache = next_build(tmp_path, made)
    assert cache.lookup("/a/", ("inputs",), Shared(("b", "a"), NEW)) is None


def test_a_page_showing_the_part_twice_depends_on_it_in_full(tmp_path: Path) -> None:
    made = first_build(tmp_path, PAGE + OLD)
    assert made.index["/a/"][1] == NOWHERE
    cache = next_build(tmp_path, made)
    assert cache.lookup("/a/", ("inputs",), Shared(("b", "a"), NEW)) is None
    assert cache.lookup("/a/", ("inputs",), Shared(("a",), OLD)) is not None


def card(title: str, digest: bytes, scheduled: bool = False) -> Card:
    when = When(dt.datetime(2026, 11, 20, tzinfo=dt.UTC), False)
    return Card("/a/", title, when, "", None, 3, False, scheduled, digest)


def test_a_card_is_fingerprinted_by_its_advice_and_schedule() -> None:
    assert fingerprint(card("A", b"1")) == fingerprint(card("B", b"1"))  # one advice, one card
    assert fingerprint(card("A", b"1")) != fingerprint(card("A", b"2"))
    assert fingerprint(card("A", b"1")) != fingerprint(card("A", b"1", scheduled=True))
    assert fingerprint(card("A", b"")) != fingerprint(card("B", b""))  # no digest: its fields
