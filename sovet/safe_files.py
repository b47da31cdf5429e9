"""Every file sovet writes outside the output folder, and every file of its own it reads back.

A site folder may be shared (a synced drive, a group folder) with someone who can put a symlink
where sovet is about to write (`inbox/.<id>.md.tmp` -> `~/.bashrc`), or a pipe where it is
about to read. So folders are opened one name at a time without following a symlink below
the folder the user named (the site, or its content/ folder, which may be a link on purpose),
files are created with O_CREAT | O_EXCL | O_NOFOLLOW (a file is replaced by writing a fresh
private one and renaming it over the old name, which never follows a link), and a file is
read only when it is a regular file, opened without blocking.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path, PurePath
from types import TracebackType
from typing import BinaryIO

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_READ = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafePath(OSError):
    """A path sovet refuses to write through or read: a symlink, a pipe, a device."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.path, self.reason = path, reason

    def __str__(self) -> str:
        return f"{self.path} {self.reason}"


class Folder:
    """An open folder: files in it are made, replaced, read and removed by name, through its
    descriptor, so nothing on the way to it can be swapped for a link meanwhile."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd, self.path = fd, path

    @classmethod
    def open(
        cls, root: Path, relative: str | PurePath = "", create: bool = False, mode: int = 0o755
    ) -> Folder:
        """ROOT (followed if it is a link: the user named it) and below it RELATIVE, one name
        at a time, none of them a link; with CREATE, the missing ones are made."""
        try:
            fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as error:
            if not (create and isinstance(error, FileNotFoundError)):
                raise
            root.mkdir(parents=True, mode=mode)
            fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        path = root
        for name in PurePath(relative).parts:
            path = path / name
            fd = _step(fd, name, path, create, mode)
        return cls(fd, path)

    def folder(self, name: str, create: bool = False, mode: int = 0o755) -> Folder:
        """A folder inside this one (never a link)."""
        return Folder(
            _step(os.dup(self.fd), name, self.path / name, create, mode), self.path / name
        )

    def create(self, name: str, data: bytes, mode: int = 0o644) -> Path:
        """A new file: FileExistsError if anything, a link included, has the name."""
        fd = os.open(name, _NEW, mode, dir_fd=self.fd)
        write_all(fd, data)
        return self.path / name

    def replace(self, name: str, data: bytes, mode: int = 0o644) -> Path:
        """The file NAME with DATA, whole or not at all (see `writing`)."""
        with self.writing(name, mode) as handle:
            handle.write(data)
        return self.path / name

    @contextlib.contextmanager
    def writing(self, name: str, mode: int = 0o644) -> Iterator[BinaryIO]:
        """A file to write NAME's new bytes into: a fresh private file, renamed over NAME when
        the block ends (a link at NAME is replaced, never followed), removed if it fails."""
        temporary = f".{name}.{secrets.token_hex(6)}.tmp"
        fd = os.open(temporary, _NEW, mode, dir_fd=self.fd)
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
            os.rename(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=self.fd)
            raise

    def read(self, name: str, limit: int) -> bytes:
        """A regular file's bytes, at most LIMIT of them; a link, a pipe or a device is
        refused without being read (a pipe would block the reader forever)."""
        return read_regular(name, limit, self.fd, self.path / name)

    def remove(self, name: str) -> None:
        """The file NAME gone (a link is removed itself, its target left alone)."""
        os.unlink(name, dir_fd=self.fd)

    def names(self) -> list[str]:
        return sorted(os.listdir(self.fd))

    def is_file(self, name: str) -> bool:
        """Whether NAME is a regular file here (a link is not, whatever it points to)."""
        try:
            info = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        return stat.S_ISREG(info.st_mode)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Folder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _step(parent: int, name: str, path: Path, create: bool, mode: int) -> int:
    """The folder NAME in PARENT (closed here), opened without following a link."""
    try:
        try:
            return os.open(name, _FOLDER, dir_fd=parent)
        except FileNotFoundError:
            if not create:
                raise
            with contextlib.suppress(FileExistsError):  # made meanwhile: opened like any other
                os.mkdir(name, mode, dir_fd=parent)
            return os.open(name, _FOLDER, dir_fd=parent)
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.ENOTDIR):
                reason = "is a link or not a folder: refused, nothing goes through it"
                raise UnsafePath(path, reason) from None
            raise
    finally:
        os.close(parent)


def read_regular(
    path: str | Path, limit: int, dir_fd: int | None = None, shown: Path | None = None
) -> bytes:
    """The bytes of a regular file, at most LIMIT + 1 of them (so a caller sees it is over);
    a link, pipe, socket or device is refused with UnsafePath."""
    try:
        fd = os.open(path, _READ, dir_fd=dir_fd)
    except OSError as error:
        if error.errno == errno.ELOOP:  # a link where a file of sovet's own should be
            raise UnsafePath(shown or Path(path), "is a link: refused") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(
                shown or Path(path), "is not a regular file (a pipe or a device?): refused"
            )
        # The file's size and a byte more, to see it end: one read for a file that did not
        # grow (a read of a fixed large size allocates that size for every small file).
        chunks, size, wanted = [], 0, info.st_size + 1
        while size <= limit:
            asked = min(wanted, limit + 1 - size)
            chunk = os.read(fd, asked)
            chunks.append(chunk)
            size += len(chunk)
            if len(chunk) < asked:  # a regular file's end
                break
            wanted = 1 << 20
        return b"".join(chunks)
    finally:
        os.close(fd)


def private(info: os.stat_result) -> bool:
    """Whether a folder or file is the user's own and nobody else may write to it."""
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def write_all(fd: int, data: bytes) -> None:
    """All of DATA into FD (a write may take less), then FD closed, whatever happens."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
