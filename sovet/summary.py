"""What a build reports: a small module, so the "nothing changed" path imports nothing heavy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    pages: int
    files: int
    advices: int
    comments: int
    seconds: float
    fresh: bool = False  # nothing had changed: the output was left as it was
