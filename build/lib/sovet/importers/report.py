"""What an import did, told once at its end: what came in, what was left out and why, and
what an editor should look at before publishing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath


@dataclass
class Report:
    source: str
    dry_run: bool = False
    counts: Counter[str] = field(default_factory=Counter)  # advices, comments, replies...
    skipped: Counter[str] = field(default_factory=Counter)  # by reason
    to_review: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    files: Counter[str] = field(default_factory=Counter)  # written, unchanged, kept
    kept: list[PurePosixPath] = field(default_factory=list)  # changed since: not overwritten
    planned: list[PurePosixPath] = field(default_factory=list)  # a dry run's files
    rubrics: list[str] = field(default_factory=list)
    uploads: int = 0
    missing_uploads: list[str] = field(default_factory=list)

    def count(self, what: str, number: int = 1) -> None:
        self.counts[what] += number

    def skip(self, why: str) -> None:
        self.skipped[why] += 1

    def review(self, where: str, why: str) -> None:
        self.to_review.append((where, why))

    def lines(self) -> list[str]:
        """The report as an editor reads it."""
        done = "Would import" if self.dry_run else "Imported"
        found = ", ".join(f"{what}: {n}" for what, n in self.counts.items()) or "nothing"
        lines = [f"{done} from {self.source}: {found}"]
        if self.rubrics:
            lines.append(f"New rubrics in site.toml: {', '.join(self.rubrics)}")
        if self.uploads or self.missing_uploads:
            lines.append(f"Uploads copied into static/: {self.uploads}")
            lines += [f"  not found in --uploads: {path}" for path in self.missing_uploads]
        if self.skipped:
            left = ", ".join(f"{why}: {n}" for why, n in sorted(self.skipped.items()))
            lines.append(f"Left out: {left}")
        written = self.files["written"]
        lines.append(
            f"Files {'to write' if self.dry_run else 'written'}: {written}; already there: "
            f"{self.files['unchanged']}; changed since and kept as they are: {self.files['kept']}"
        )
        lines += [f"  kept: {path}" for path in self.kept]
        lines += [f"  would write: {path}" for path in self.planned]
        if self.to_review:
            lines.append("To review:")
            lines += [f"  {where}: {why}" for where, why in self.to_review]
        return lines
