"""Stamps: what changes whenever a file changes, read from the file system's records alone.

A build compares them with the last build's to know, without reading a file, whether
anything changed (the whole site) and which advice folders to read again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def folder_stamp(folder: Path | str) -> bytes | None:
    """What changes whenever a file of an advice folder changes, appears or goes (names,
    kinds, sizes, inodes, modification and change times, which no tool can set back; a
    link's and its target's); None when the folder cannot be read, so that it is read as
    usual and its problem reported. Hashed once per folder: a column stamps every folder
    at each build."""
    lines: list[str] = []
    add = lines.append
    for place in (str(folder), os.path.join(folder, "comments")):
        try:
            with os.scandir(place) as found:
                entries = sorted(found, key=lambda entry: entry.name)
            for entry in entries:
                info = entry.stat(follow_symlinks=False)
                add(
                    f"{entry.path}\0{info.st_mode}\0{info.st_ino}\0{info.st_size}"
                    f"\0{info.st_mtime_ns}\0{info.st_ctime_ns}\n"
                )
                if entry.is_symlink():
                    target = os.stat(entry.path)
                    add(f"{target.st_ino}\0{target.st_ctime_ns}\n")
        except FileNotFoundError:
            if place == str(folder) or os.path.lexists(place):
                return None
        except OSError:
            return None
    return hashlib.blake2b("".join(lines).encode(), digest_size=16).digest()
