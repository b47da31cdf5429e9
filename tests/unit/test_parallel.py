"""Work on several processes, and what the collector is told to leave alone meanwhile."""

from __future__ import annotations

import gc
import os
import weakref
from collections.abc import Iterator

import pytest

from sovet import parallel


class Node:
    """An object the collector frees only by a pass: it is in a cycle."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def nothing_frozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_results_come_back_in_order_from_every_process() -> None:
    work = [lambda n=n: n * n for n in range(parallel.MIN_PARALLEL * 2)]
    assert list(parallel.each(work, jobs=2)) == [n * n for n in range(parallel.MIN_PARALLEL * 2)]


def test_a_build_keeps_what_it_settled_frozen_until_it_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unfrozen: list[int] = []
    unfreeze = gc.unfreeze

    def counted() -> None:
        unfrozen.append(gc.get_freeze_count())
        unfreeze()

    monkeypatch.setattr(gc, "unfreeze", counted)
    with parallel.holding():
        parallel.settle()
        assert gc.get_freeze_count() > 0
        # forking workers inside the build gives nothing back to the collector (a frozen
        # object may still be freed when its last reference goes: the count is no measure)
        list(parallel.each([lambda n=n: n for n in range(parallel.MIN_PARALLEL)], jobs=2))
        assert unfrozen == []
    assert len(unfrozen) == 1 and gc.get_freeze_count() == 0


def test_settling_outside_a_build_freezes_nothing() -> None:
    parallel.settle()
    list(parallel.each([lambda n=n: n for n in range(parallel.MIN_PARALLEL)], jobs=2))
    assert gc.get_freeze_count() == 0


def test_a_cycle_made_during_a_build_is_freed_once_it_ends() -> None:
    with parallel.holding():
        node = Node()
        gone = weakref.ref(node)
        del node
        parallel.settle()
        gc.collect()
        assert gone() is not None  # frozen: left alone while the build goes on
    gc.collect()
    assert gone() is None


def test_a_build_making_many_lasting_objects_walks_them_in_no_full_pass() -> None:
    """Frozen objects do not count as long-lived ones, so without holding full passes back
    a build that keeps making objects would walk them all every ten middle passes."""
    before = gc.get_threshold()
    full_passes = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full_passes.append(1)

    with parallel.holding():
        parallel.settle()
        gc.collect()  # what the collector counts as long-lived now: next to nothing
        gc.callbacks.append(seen)
        try:
            kept = [[number] for number in range(300_000)]
        finally:
            gc.callbacks.remove(seen)
        assert len(kept) == 300_000 and full_passes == []
    assert gc.get_threshold() == before


def test_no_collection_while_unpickling_and_the_collector_is_back_after() -> None:
    assert gc.isenabled()
    with parallel.uncollected():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_workers_are_renewed_and_results_stay_in_order() -> None:
    """A worker keeps a copy of each page of memory it touched: after RENEWED pieces of
    work a new one takes its place, and the results come back as if nothing happened."""
    work = [lambda n=n: (n, os.getpid()) for n in range(parallel.MIN_PARALLEL * 4)]
    kept = list(parallel.each(work, jobs=2))
    renewed = list(parallel.each(work, jobs=2, renewed=16))
    assert [n for n, _ in renewed] == [n for n, _ in kept] == list(range(len(work)))
    assert len({pid for _, pid in kept}) <= 2
    assert len({pid for _, pid in renewed}) >= len(work) // 16
