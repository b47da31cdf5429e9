"""Independent work on several processes: markdown bodies, pages, letters, feeds.

Workers are forked after the work is set up, so they inherit the model and the templates
instead of receiving them pickled; only the results (strings, bytes) travel back.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
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

_WORK: Sequence[Callable[[], Any]] = ()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run(work: Sequence[Callable[[], T]], jobs: int) -> list[T]:
    """Call every function, on `jobs` processes when that pays; results in order."""
    return list(each(work, jobs))


def each(work: Sequence[Callable[[], T]], jobs: int) -> Iterator[T]:
    """Like `run`, but each result is handed on as soon as it is back (still in order), so the
    caller need not hold them all: a build writes every page while the next ones are made."""
    if (
        jobs <= 1
        or len(work) < MIN_PARALLEL
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from (make() for make in work)
        return
    global _WORK
    _WORK = work
    # Frozen objects are left alone by the workers' garbage collector, so the workers do not
    # walk (and copy, page by page) the whole inherited model.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs, os.nice, (WORKER_NICENESS,)) as pool:
            chunk = max(1, min(MOST_PER_CHUNK, len(work) // (jobs * 8)))
            for count, result in enumerate(pool.imap(_call, range(len(work)), chunksize=chunk)):
                if count % FREEZE_EVERY == FREEZE_EVERY - 1:
                    gc.freeze()
                yield result
    finally:
        gc.unfreeze()
        _WORK = ()


def _call(index: int) -> Any:
    return _WORK[index]()
