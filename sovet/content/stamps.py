"""Stamps: what changes whenever a file changes, read from the file system's records alone.

A build compares them with the last build's to know, without reading a file, whether
anything changed (the whole site) and which advice folders to read again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def folder_stamp(folder: Path) -> bytes | None:
    """What changes whenever a file of an advice folder changes, appears or goes (names,
    kinds, sizes, inodes, modification and change times, which no tool can set back; a
    link's and its target's); None when the
    folder cannot be read, so that it is read as usual and its problem reported."""
    hasher = hashlib.blake2b(digest_size=16)
    try:
        for place in (folder, folder / "comments"):
            if place != folder and not os.path.lexists(place):
                continue
            with os.scandir(place) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    info = entry.stat(follow_symlinks=False)
                    hasher.update(f"{entry.path}\0{info.st_mode}\0{info.st_ino}\0".encode())
                    hasher.update(
                        f"{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\n".encode()
                    )
                    if entry.is_symlink():
                        target = os.stat(entry.path)
                        hasher.update(f"{target.st_ino}\0{target.st_ctime_ns}\n".encode())
    except OSError:
        return None
    return hasher.digest()
