"""Build progress: stages and counts reported by the pipeline, shown by the command line.

The pipeline only calls `stage` and `advance`; whether that becomes a progress bar, a line per
stage (--verbose) or nothing (--quiet, not a terminal) is the command line's business.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # Rich is imported by what shows something: a quiet build needs none of it
    from rich.console import Console
    from rich.progress import TaskID


class Stages(Protocol):
    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, count: int = 1) -> None: ...

    def close(self) -> None: ...


class Silent:
    """Reports nothing: tests, --quiet, and output that is not a terminal."""

    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class Verbose(Silent):
    """One line per finished stage with its time: where a slow build spends it."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.current: tuple[str, float] | None = None

    def stage(self, name: str, total: int | None = None) -> None:
        self.close()
        self.current = (name, time.perf_counter())

    def close(self) -> None:
        if self.current:
            name, started = self.current
            self.console.print(f"  {name}: {time.perf_counter() - started:.2f} s")
            self.current = None


class Bar(Silent):
    """A progress bar on a terminal, shown only once a build has run for a second."""

    DELAY = 1.0

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.started = time.perf_counter()
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.task: TaskID | None = None
        self.shown = False

    def stage(self, name: str, total: int | None = None) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(name, total=total)
        self._show()

    def advance(self, count: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, count)
        self._show()

    def _show(self) -> None:
        if not self.shown and time.perf_counter() - self.started > self.DELAY:
            self.progress.start()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            self.progress.stop()
