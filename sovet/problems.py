"""One type for every user mistake: a path, a line and a message, all collected in one run."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """A mistake in content or settings, printed as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Problems:
    """Collects problems across all files so the user sees every one in a single run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, max(line, 1), message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """Sorted by path, then line, duplicates dropped: the order an editor fixes them in."""
        return sorted(set(self.items))


class BuildFailed(Exception):
    """Raised after validation when the user's input has problems; never for a bug of ours."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix when a close choice exists, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def display_path(path: Path, root: Path) -> str:
    """A path as the user should see it: relative to the working folder when possible."""
    try:
        inside = path.relative_to(root)  # no file system access: fast for thousands of files
    except ValueError:
        return _shown(path, root)
    prefix = _root_prefix(root)
    return f"{prefix}/{inside.as_posix()}" if prefix else inside.as_posix()


@functools.lru_cache(maxsize=8)
def _root_prefix(root: Path) -> str:
    shown = _shown(root, root)
    return "" if shown == "." else shown


def _shown(path: Path, root: Path) -> str:
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        try:
            return str(resolved.relative_to(root.resolve().parent))
        except ValueError:
            return str(path)
