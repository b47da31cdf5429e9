"""What a build reports: a small module, so the "nothing changed" path imports nothing heavy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .problems import Problem


@dataclass(frozen=True)
class Summary:
    pages: int
    files: int
    advices: int
    comments: int
    seconds: float
    fresh: bool = False  # nothing had changed: the output was left as it was
    broken_links: tuple[Problem, ...] = ()  # published anyway (--allow-broken-links)
    notes: tuple[str, ...] = ()  # what the user should know (a build cache not used, and why)
