"""Independent work on several processes: markdown bodies, pages, letters, feeds; and the
garbage collector's view of the objects they share.

Workers are forked after the work is set up, so they inherit the model and the templates
instead of receiving them pickled; only the results (strings, bytes) travel back.

CPython's collector walks, on each of its full passes, every object it has not been told to
leave alone, and a build holds millions that live as long as it does (the kept column, the
assembled site). Frozen (`gc.freeze`), they are left out of those passes: the passes took 4.5 s
of an 18 s publish at 10 000 advices. Reference counting still frees a frozen object; only a
cycle among them waits until the build is over.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many pieces of work, starting processes costs more than it saves.
MIN_PARALLEL = 64
# Results travel back a chunk at a time and wait, whole, for the caller: small chunks keep a
# build's memory flat, and this many pieces still make the trip worth it.
MOST_PER_CHUNK = 32
# Workers yield to the build's other processes: Pagefind indexes on a single thread and is
# the last to finish, so it gets a core whenever it wants one and the workers fill the rest.
WORKER_NICENESS = 5
# The results kept so far are frozen this often, so that the build's collector does not walk
# them again and again while more arrive (5 s of 35 when reading 10 000 advice folders).
FREEZE_EVERY = 256

# A full pass waits until a quarter of the long-lived objects are new, but frozen objects are
# not counted among those: within a build, full passes came every ten middle ones, walking all
# that was made since the last settle (ten passes, 0.78 s of a 10 000-advice publish, freeing
# nothing). Young objects are still collected as usual; a full pass waits this many middle ones.
FULL_PASS_AFTER = 1000

_WORK: Sequence[Callable[[], Any]] = ()
_HOLDING = 0  # open `holding` blocks: what is frozen stays frozen until the last one ends
_HOLDING_TO_EXIT = False  # this process ends with its command
_KEPT: list[tuple[object, ...]] = []  # see keep_until_exit


@contextmanager
def holding() -> Iterator[None]:
    """A build: inside it, `settle` freezes the objects made so far for the rest of it. At
    its end they go back to the collector, so a long-running process can still free them."""
    global _HOLDING
    _HOLDING += 1
    thresholds = _fewer_full_passes()
    try:
        yield
    finally:
        _HOLDING -= 1
        gc.set_threshold(*thresholds)
        if not _HOLDING:
            gc.unfreeze()


def hold_until_exit() -> None:
    """For a process that ends with its command: what a build freezes is never given back,
    so neither a pass after the build nor the one at exit walks it."""
    global _HOLDING, _HOLDING_TO_EXIT
    _HOLDING += 1
    _HOLDING_TO_EXIT = True
    _fewer_full_passes()


def keep_until_exit(*objects: object) -> None:
    """In a process that ends with its command (`hold_until_exit`), OBJECTS are never freed:
    the process ends without freeing a column object by object (0.2 s of a 10 000-advice
    build). Elsewhere, nothing is kept."""
    if _HOLDING_TO_EXIT:
        _KEPT.append(objects)


def _fewer_full_passes() -> tuple[int, int, int]:
    """Full passes wait for FULL_PASS_AFTER middle ones; the thresholds as they were."""
    young, middle, full = thresholds = gc.get_threshold()
    gc.set_threshold(young, middle, max(full, FULL_PASS_AFTER))
    return thresholds


def settle() -> None:
    """Leave every object made so far out of the collector's passes (inside `holding` only:
    elsewhere, nothing would give them back)."""
    if _HOLDING:
        gc.freeze()


@contextmanager
def uncollected() -> Iterator[None]:
    """No collection while a large cache is unpickled: it only makes objects, so every pass
    on the way would walk them all again and find nothing to free. Inside `holding`, they are
    settled before the collector is back."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        settle()
        if enabled:
            gc.enable()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def forks(count: int, jobs: int) -> bool:
    """Whether `each` makes COUNT pieces of work on processes of their own: not a few."""
    if jobs <= 1 or count < MIN_PARALLEL:
        return False
    import multiprocessing  # here: a build that makes a few pages never starts a process

    return "fork" in multiprocessing.get_all_start_methods()


def each(
    work: Sequence[Callable[[], T]], jobs: int, renewed: int | None = None
) -> Generator[T, None, None]:
    """Call every function, on `jobs` processes when that pays. Each result is handed on as
    soon as it is back (in order), so the caller need not hold them all: a build writes every
    page while the next ones are made. A caller that may stop early closes the generator.

    RENEWED: a worker is replaced by a new one after about this many pieces of work. A worker
    gets its own copy of each page of the build's memory it touches (reference counts are
    written to), so one that rendered thousands of pages held a copy of most of the column."""
    if not forks(len(work), jobs):
        yield from (make() for make in work)
        return
    import multiprocessing  # loaded by `forks` already

    global _WORK
    _WORK = work
    # Frozen objects are left alone by the workers' garbage collector, so the workers do not
    # walk (and copy, page by page) the whole inherited model.
    gc.freeze()
    try:
        chunk = max(1, min(MOST_PER_CHUNK, len(work) // (jobs * 8)))
        tasks = max(1, renewed // chunk) if renewed else None
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, os.nice, (WORKER_NICENESS,), maxtasksperchild=tasks) as pool:
            for count, result in enumerate(pool.imap(_call, range(len(work)), chunksize=chunk)):
                if count % FREEZE_EVERY == FREEZE_EVERY - 1:
                    gc.freeze()
                yield result
    finally:
        if not _HOLDING:
            gc.unfreeze()
        _WORK = ()


def _call(index: int) -> Any:
    return _WORK[index]()
