"""The one guarded writer: a fresh folder beside the output, swapped in only on success.

A failed or interrupted build leaves the previous output byte for byte; a lock keeps two
builds from swapping at once; no path may leave the output folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath


class UnsafeOutput(Exception):
    """The output folder or a file in it would land where it must not."""


def check_out_dir(out: Path, site: Path) -> None:
    """Refuse an output folder that is the root, the site, or holds the site or its sources."""
    out, site = out.resolve(), site.resolve()
    project = Path(__file__).resolve().parent.parent
    if out == Path(out.anchor):
        raise UnsafeOutput(f"--out {out} is the root of the file system")
    for guarded in (site, project):
        if out == guarded or guarded.is_relative_to(out):
            raise UnsafeOutput(f"--out {out} would replace {guarded} and everything in it")
    for folder in ("content", "themes", "templates", "static", ".git"):
        if out.is_relative_to(site / folder):
            raise UnsafeOutput(f"--out {out} is inside the site's {folder}/ folder")


def safe_target(root: Path, relative: PurePosixPath) -> Path:
    """The file for an output path, refused if it would escape the output folder."""
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise UnsafeOutput(f"refusing to write '{relative}' outside the output folder")
    target = root.joinpath(*relative.parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise UnsafeOutput(f"refusing to write '{relative}' outside the output folder")
    return target


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """One build at a time per output folder (the lock file lives beside it)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_site(out: Path, files: Mapping[PurePosixPath, bytes]) -> None:
    """Write every file into a fresh folder, then swap it in for OUT."""
    out = out.resolve()
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        made: set[Path] = {staging}
        for relative, data in files.items():
            target = safe_target(staging, relative)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    """Replace OUT by STAGING with renames only: at every instant one complete site exists."""
    if not out.exists():
        staging.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
