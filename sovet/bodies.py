"""Rendered bodies, kept in memory or in files.

The HTML and plain text of every question, answer and comment are most of what a build holds:
at 10 000 advices about 700 MB of Python strings, which every forked worker copied page by
page as it read them. A build therefore appends each body to a segment file as soon as it is
rendered and the model keeps only where it is (a `Stored`); reading it back costs a system
call. `serve`, `check` and the tests keep bodies in memory (a `Rendered`), where a rebuild is
fastest. Both answer `.html` and `.text`, and the rest of sovet does not tell them apart.

Segments are appended to by one process each (named after it) and never changed after its
build: forked workers render bodies into their own segments, and any process reads any
segment with `os.pread`, which needs no lock, so a thread or a fork can never be caught
holding one.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from .markdown import Rendered

PREFIX = "segment-"


class Body(Protocol):
    """A rendered body wherever it is kept."""

    @property
    def html(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def links(self) -> tuple[str, ...]: ...

    @property
    def link_lines(self) -> tuple[int, ...]: ...


class BodyStoreError(Exception):
    """A segment could not be written or read back: the disk is full or was changed under us."""


class Stored(NamedTuple):
    """A body in a segment file: its HTML's UTF-8 bytes, then its text's, from `offset`;
    its links (few, and read by every build's link check) stay here.

    Equal places mean equal bodies, since segments are only ever appended to. A tuple: the
    build cache pickles one for every body of the column, and a tuple pickles in C."""

    path: str
    offset: int
    html_size: int
    text_size: int
    links: tuple[str, ...] = ()
    link_lines: tuple[int, ...] = ()

    @property
    def html(self) -> str:
        return _read(self.path, self.offset, self.html_size).decode()

    @property
    def text(self) -> str:
        return _read(self.path, self.offset + self.html_size, self.text_size).decode()

    def data(self) -> bytes:
        """Its bytes as written: for copying it into another segment."""
        return _read(self.path, self.offset, self.size)

    @property
    def size(self) -> int:
        return self.html_size + self.text_size


class Keeper(Protocol):
    """Where a freshly rendered body goes."""

    def keep(self, rendered: Rendered) -> Body: ...


class InMemory:
    """Bodies stay Python strings: for serve, check and tests."""

    def keep(self, rendered: Rendered) -> Body:
        return rendered


class Segments:
    """Bodies appended to files in FOLDER, one file for each process that renders some.

    A forked worker inherits this object; on its first body it opens a segment of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pid = 0
        self._fd = -1
        self._path = ""
        self._size = 0

    def keep(self, rendered: Rendered) -> Body:
        html, text = rendered.html.encode(), rendered.text.encode()
        return self.append(html + text, len(html), len(text), rendered.links, rendered.link_lines)

    def append(
        self,
        data: bytes,
        html_size: int,
        text_size: int,
        links: tuple[str, ...] = (),
        link_lines: tuple[int, ...] = (),
    ) -> Stored:
        """Write one body's bytes (HTML then text) at the end of this process's segment."""
        if self._pid != os.getpid():
            self._open()
        offset = self._size
        try:
            written = 0
            while written < len(data):
                written += os.write(self._fd, data[written:])
        except OSError as error:
            raise BodyStoreError(f"cannot write {self.folder}: {error.strerror}") from None
        self._size += len(data)
        return Stored(self._path, offset, html_size, text_size, links, link_lines)

    def _open(self) -> None:
        """A new segment for this process; the parent's (if forked) stays the parent's."""
        pid = os.getpid()
        path = self.folder / f"{PREFIX}{secrets.token_hex(4)}-{pid}"
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        except OSError as error:
            raise BodyStoreError(f"cannot write {self.folder}: {error.strerror}") from None
        self._pid, self._path, self._size = pid, str(path), 0

    def __enter__(self) -> Segments:
        return self

    def __exit__(self, *_: object) -> None:
        """This process's segment is closed, and every descriptor opened to read one."""
        if self._pid == os.getpid():
            os.close(self._fd)
            self._pid = 0
        close_all()


@contextmanager
def scratch(beside: Path) -> Iterator[Segments]:
    """Segments in a folder of their own beside BESIDE (the output folder), removed after:
    for a build that keeps no cache. The caller holds the output's lock, so any other such
    folder is a killed build's, and goes."""
    stem = f".{beside.name}.bodies-"
    for stale in beside.parent.glob(f"{stem}*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = beside.parent / f"{stem}{os.getpid()}"
    try:
        folder.mkdir(parents=True)
    except OSError as error:
        raise BodyStoreError(f"cannot write {folder.parent}: {error.strerror}") from None
    try:
        with Segments(folder) as segments:
            yield segments
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_OPEN: dict[str, int] = {}  # segment path -> a descriptor for reading, per process


def _read(path: str, offset: int, size: int) -> bytes:
    fd = _OPEN.get(path)
    if fd is None:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as error:
            raise BodyStoreError(f"cannot read {path}: {error.strerror}") from None
        kept = _OPEN.setdefault(path, fd)  # a second thread may have opened it meanwhile
        if kept != fd:
            os.close(fd)
            fd = kept
    data = os.pread(fd, size, offset)
    if len(data) != size:
        raise BodyStoreError(f"cannot read {path}: it is shorter than it was written")
    return data


def close_all() -> None:
    """Forget every descriptor opened for reading (segments may be deleted next)."""
    while _OPEN:
        _, fd = _OPEN.popitem()
        os.close(fd)
