"""Where an import's files go: written once, never over an editor's change.

Each file is created exclusively through the same safe folders as `new` and `inbox accept`.
A file already there with the same text is left alone (a second import adds nothing); one
with other text was changed by an editor and is kept as it is, and counted. With `dry_run`
nothing is written and every file that would be is listed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import tomlkit
from tomlkit.items import Table

from ..safe_files import Folder, read_regular


@dataclass
class Writer:
    root: Path  # the site
    dry_run: bool = False
    counts: Counter[str] = field(default_factory=Counter)  # written, unchanged, kept
    planned: list[PurePosixPath] = field(default_factory=list)
    kept: list[PurePosixPath] = field(default_factory=list)
    _open: tuple[tuple[Path, PurePosixPath], Folder] | None = None

    def write(self, relative: PurePosixPath, data: bytes, inside: Path | None = None) -> str:
        """Write RELATIVE (to INSIDE, default the site; content/ may be a link) once: returns
        'written', 'unchanged' or 'kept'."""
        base = inside or self.root
        existing = base / relative
        if existing.exists() or existing.is_symlink():
            try:
                same = read_regular(existing, len(data) + 1) == data
            except OSError:
                same = False
            outcome = "unchanged" if same else "kept"
            if outcome == "kept":
                self.kept.append(relative)
        elif self.dry_run:
            outcome = "written"
            self.planned.append(relative)
        else:
            self._folder(base, relative.parent).create(relative.name, data)
            outcome = "written"
        self.counts[outcome] += 1
        return outcome

    def _folder(self, base: Path, relative: PurePosixPath) -> Folder:
        """The folder a file goes in, kept open while the files of one post come (an import
        writes a post's files together), so each is not reached name by name again."""
        key = (base, relative)
        if self._open is None or self._open[0] != key:
            self.close()
            self._open = (key, Folder.open(base, relative, create=True))
        return self._open[1]

    def close(self) -> None:
        if self._open is not None:
            self._open[1].close()
            self._open = None

    def add_rubrics(self, rubrics: dict[str, str]) -> list[str]:
        """New [rubrics.<key>] tables in site.toml (title only), its comments and layout kept
        (tomlkit); the keys added."""
        path = self.root / "site.toml"
        text = read_regular(path, 1 << 20).decode("utf-8")
        document = tomlkit.parse(text)
        existing = document.get("rubrics")
        known = set(existing.keys()) if isinstance(existing, Table) else set()
        added = [key for key in rubrics if key not in known]
        if not added:
            return []
        if not isinstance(existing, Table):
            existing = tomlkit.table(is_super_table=True)
            document.append("rubrics", existing)
        for key in added:
            table = tomlkit.table()
            table.add("title", rubrics[key])
            table.add(tomlkit.nl())
            existing.append(key, table)
        if not self.dry_run:
            with Folder.open(self.root) as folder:
                folder.replace("site.toml", tomlkit.dumps(document).encode())
        return added
