"""The one guarded writer: a folder beside the output, swapped in only on success.

A failed or interrupted build (kill -9 included) leaves the previous output byte for byte: the
new site is written into `.NAME.new-PID` beside the output and exchanged with it in one atomic
rename (renameat2 with RENAME_EXCHANGE on Linux). A lock keeps two builds from swapping at
once, and the next build removes what a killed one left behind. No path may leave the output
folder, and the output folder may not be the root, the site, the project or their sources.

The output the swap replaces is kept beside it as `.NAME.previous`, and the next build writes
into that folder rather than a new one: its folders are there already, a file no longer
shared with the output is overwritten in place, an unchanged one is a second name of the
output's file. Making folders and files anew is what a build that changes little would
otherwise spend most of its writing time on. No reader ever sees that folder, and the build
trusts nothing in it: every file is written or checked to be the output's own, and whatever
it holds that the new site does not is removed before the swap.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import stat
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from .safe_files import write_all


class UnsafeOutput(Exception):
    """The output folder or a file in it would land where it must not."""


# Folders of a site (and of sovet itself) that an output folder must never replace or enter.
GUARDED = ("content", "themes", "templates", "static", "inbox", ".git", ".sovet-cache")
# Files every build writes: a folder holding them is a previous output and may be replaced.
BUILT_MARKERS = ("index.html", "sitemap.xml")

Sink = Callable[[PurePosixPath, bytes], None]  # takes each output file as soon as it is made


def check_out_dir(out: Path, site: Path, also: tuple[str, ...] = ()) -> None:
    """Refuse an output folder that is the root, the site, or holds the site or its sources.

    The output folder is replaced as a whole, so an existing one must be a previous build
    (or empty): `--out ~/Documents` must not wipe the documents. ALSO names more folders of
    the site to guard (a configured `[inbox] dir`).
    """
    out, site = out.resolve(), site.resolve()
    project = Path(__file__).resolve().parent.parent
    if out == Path(out.anchor):
        raise UnsafeOutput(f"--out {out} is the root of the file system")
    for guarded in (site, project):
        if out == guarded or guarded.is_relative_to(out):
            raise UnsafeOutput(f"--out {out} would replace {guarded} and everything in it")
    for base, folders in ((site, GUARDED + also), (project, GUARDED)):
        for folder in folders:
            if out.is_relative_to(base / folder):
                raise UnsafeOutput(f"--out {out} is inside the {folder}/ folder of {base}")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"--out {out} is a file, not a folder")
    if out.is_dir() and not _looks_built(out):
        raise UnsafeOutput(
            f"--out {out} holds files that sovet did not build, and the build would replace "
            "them all: choose a new or empty folder"
        )
    existing = next(folder for folder in out.parents if folder.exists())
    if not os.access(out.parent if out.parent.exists() else existing, os.W_OK | os.X_OK):
        raise UnsafeOutput(f"--out {out}: no permission to write in {existing}")


def _looks_built(folder: Path) -> bool:
    """Empty, or a site an earlier build wrote (its home page and sitemap are there)."""
    try:
        with os.scandir(folder) as entries:
            if next(entries, None) is None:
                return True
    except OSError as error:
        raise UnsafeOutput(f"--out {folder} cannot be read: {error.strerror}") from None
    return all((folder / name).is_file() for name in BUILT_MARKERS)


def safe_target(root: Path, relative: PurePosixPath) -> Path:
    """The file for an output path, refused if it would escape the output folder."""
    _check_relative(relative)
    target = root.joinpath(*relative.parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise UnsafeOutput(f"refusing to write '{relative}' outside the output folder")
    return target


def _check_relative(relative: PurePosixPath) -> None:
    parts = relative.parts
    if relative.is_absolute() or ".." in parts or not parts or any("\0" in p for p in parts):
        raise UnsafeOutput(f"refusing to write '{relative}' outside the output folder")


class _Paths:
    """The paths written so far: each stays inside, and none is both a file and a folder (a
    static file 'tags' beside the pages under tags/).

    Folders are compared as strings: a build adds thousands of paths, and path objects for
    every parent of each cost more than the check itself."""

    def __init__(self) -> None:
        self.files: set[PurePosixPath] = set()
        self._names: set[str] = set()
        self._folders: set[str] = set()

    def add(self, relative: PurePosixPath) -> str:
        """Record RELATIVE; its name (a '/'-joined path, no part of it empty or '..')."""
        _check_relative(relative)
        name = relative.as_posix()
        parents = []
        cut = name.rfind("/")
        while cut > 0:
            parents.append(name[:cut])
            cut = name.rfind("/", 0, cut)
        clash = name if name in self._folders else None
        clash = clash or next((p for p in parents if p in self._names), None)
        if clash is not None:
            raise UnsafeOutput(
                f"'{clash}' would be both a file and a folder of the site: rename the file"
            )
        self.files.add(relative)
        self._names.add(name)
        self._folders.update(parents)
        return name

    def prune(self, root: Path, shown_as: str) -> list[str]:
        """Remove from ROOT every file and folder that is not one of the paths written.

        The files left, a line each, as the build cache's stamp of the output lists them once
        ROOT is at SHOWN_AS (`diskcache.stamp_lines`: the same walk, in sorted order): a build
        that changed little would otherwise walk the whole output a second time for it."""
        lines: list[str] = []
        todo = [(str(root), "", shown_as)]
        while todo:
            folder, prefix, shown = todo.pop()
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda entry: entry.name)
            folders = []
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if name in self._folders:
                        folders.append((entry.path, name + "/", f"{shown}/{entry.name}"))
                    else:
                        shutil.rmtree(entry.path)
                elif name not in self._names:
                    os.unlink(entry.path)
                else:
                    info = entry.stat(follow_symlinks=False)
                    lines.append(stamp_line(f"{shown}/{entry.name}", info))
            todo.extend(reversed(folders))
        return lines


_held: dict[tuple[Path, int], int] = {}  # (output, thread) -> depth
_held_guard = threading.Lock()


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """One build at a time writes beside OUT: the folder holding it is locked (flock).

    Locking that folder rather than a lock file leaves nothing behind. Re-entrant within a
    process, so `staged` takes it whether or not its caller did.
    """
    key = (out.resolve(), threading.get_ident())
    with _held_guard:
        reentered = key in _held
        _held[key] = _held.get(key, 0) + 1
    try:
        if reentered:
            yield
            return
        folder = key[0].parent
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock
    finally:
        with _held_guard:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]


def stamp_line(path: str, info: os.stat_result) -> str:
    """A file as the build cache's stamps list it: what changes when it is touched."""
    return f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\n"


def write_site(out: Path, files: Mapping[PurePosixPath, bytes]) -> None:
    """Write every file into the folder beside OUT, then swap it in for OUT."""
    with staged(out) as staging:
        for relative, data in files.items():
            staging.write(relative, data)


def spare(out: Path) -> Path:
    """Where the output a build replaced waits to become the next build's staging folder."""
    return out.parent / f".{out.name}.previous"


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Staging]:
    """A folder beside OUT to write the new site into (the spare, else a new one), swapped in
    for OUT when the block ends; if the block raises, OUT stays as it was, and the folder
    stays the spare unless writing it failed."""
    out = out.resolve()
    with locked(out):
        staging = Staging(out.parent / f".{out.name}.new-{os.getpid()}", out)
        try:
            with _writing(out):
                recover(out)
                staging.reused = _take_spare(out, staging.folder)
            yield staging
            with _writing(out):
                staging.prune()
                swapped = _swap(staging.folder, out)
            if swapped:
                with contextlib.suppress(OSError):  # someone else's folder is in the way
                    staging.folder.rename(spare(out))
        except UnsafeOutput:
            raise  # a full disk or a refused path: the folder goes
        except BaseException:
            with contextlib.suppress(OSError):  # a build that failed: the spare stays one
                staging.folder.rename(spare(out))
            raise
        finally:
            shutil.rmtree(staging.folder, ignore_errors=True)


def _take_spare(out: Path, folder: Path) -> bool:
    """Make FOLDER from the spare when there is one (a real folder of this user's, not a link
    nor a neighbour's), else anew."""
    kept = spare(out)
    with contextlib.suppress(FileNotFoundError):
        found = os.lstat(kept)
        if stat.S_ISDIR(found.st_mode) and _ours(found):
            kept.rename(folder)
            return True
        if _ours(found):
            kept.unlink()
    folder.mkdir(parents=True)
    return False


def _ours(found: os.stat_result) -> bool:
    """Made by this user: a neighbour's file or folder in the spare is replaced, not used.
    Not `safe_files.private`: a site's files are made with the user's umask, often writable
    by their group, and so is the output beside the spare."""
    return found.st_uid == os.getuid()


@contextlib.contextmanager
def _writing(out: Path) -> Iterator[None]:
    """A full disk or a read-only folder is the user's to fix, not a crash: the old site stays."""
    try:
        yield
    except OSError as error:
        raise _unwritable(out, error) from None


def _unwritable(out: Path, error: OSError) -> UnsafeOutput:
    return UnsafeOutput(f"cannot write {out}: {error.strerror or error}")


class Staging:
    """The folder a build writes into, file by file, as the files are made.

    The build made the folder just now: no symlink can be in it, and none is followed.
    Its files are named as strings: a build puts tens of thousands in place, and a path
    object for each cost more than the system calls.
    """

    def __init__(self, folder: Path, out: Path) -> None:
        self.folder, self.out = folder, out
        self.paths = _Paths()
        self.reused = False  # the folder is the spare: it holds an earlier site
        self.listing: list[str] | None = None  # its files once pruned (see _Paths.prune)
        self._root = str(folder)
        self._made: set[str] = {self._root}

    def write(self, relative: PurePosixPath, data: bytes) -> None:
        target = f"{self._root}/{self.paths.add(relative)}"
        try:
            self._folder(target.rpartition("/")[0])
            _put(target, data, _overwrite_or_create(target) if self.reused else _CREATE)
        except OSError as error:
            raise _unwritable(self.out, error) from None

    def link(self, relative: PurePosixPath, source: Path | str) -> None:
        """A file of the last build, unchanged, put in place as a second name of the same
        file (a copy where the file system has no such names); never through a symlink.
        In the spare it is often that very file already."""
        target = f"{self._root}/{self.paths.add(relative)}"
        try:
            self._folder(target.rpartition("/")[0])
            found = os.lstat(source)
            if not stat.S_ISREG(found.st_mode):
                raise UnsafeOutput(f"{source} is not a file sovet wrote: build without the cache")
            if self.reused:
                with contextlib.suppress(FileNotFoundError):
                    there = os.lstat(target)
                    if there.st_ino == found.st_ino and there.st_dev == found.st_dev:
                        return
                    _remove(target, there)
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
                with os.fdopen(fd, "rb") as handle:
                    _put(target, handle.read())
        except OSError as error:
            raise _unwritable(self.out, error) from None

    def _folder(self, folder: str) -> None:
        """FOLDER (the staging folder or a folder in it) made, or in the spare found to be a
        real folder of this user's (anything else in its place is removed first); its
        parents before it, so no write goes through a link."""
        if folder in self._made:
            return
        self._folder(folder.rpartition("/")[0])
        if self.reused:
            try:
                found = os.lstat(folder)
            except FileNotFoundError:
                pass
            else:
                if stat.S_ISDIR(found.st_mode) and _ours(found):
                    self._made.add(folder)
                    return
                _remove(folder, found)
        os.mkdir(folder)
        self._made.add(folder)

    def prune(self) -> None:
        """Remove what the spare held and this build did not write."""
        if self.reused:
            self.listing = self.paths.prune(self.folder, str(self.out))

    @property
    def written(self) -> set[PurePosixPath]:
        return self.paths.files


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC
# Without O_TRUNC: the file is cut to its new length instead, which keeps the blocks it
# reuses (on ext4, truncating to zero made an overwrite cost 8 times as much).
_OVERWRITE = os.O_WRONLY | os.O_NOFOLLOW | _CLOEXEC


def _put(target: str, data: bytes, flags: int = _CREATE) -> None:
    """TARGET holding DATA, never through a symlink: a new file, or with FLAGS `_OVERWRITE`
    the file found there."""
    fd = os.open(target, flags, 0o666)
    if flags == _OVERWRITE:
        try:
            os.ftruncate(fd, len(data))
        except OSError:
            os.close(fd)
            raise
    write_all(fd, data)


def _overwrite_or_create(target: str) -> int:
    """How to write TARGET in the spare: a file there is overwritten in place only when no
    other name shares it (an unchanged file of the output does), else removed first."""
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return _CREATE
    if stat.S_ISREG(found.st_mode) and found.st_nlink == 1 and _ours(found):
        return _OVERWRITE
    _remove(target, found)
    return _CREATE


def _remove(path: str, found: os.stat_result) -> None:
    if stat.S_ISDIR(found.st_mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def leftovers(out: Path) -> list[Path]:
    """Folders a build of OUT leaves beside it only while it runs: `.NAME.new-*`, `.NAME.old-*`."""
    if not out.parent.is_dir():
        return []
    prefixes = (f".{out.name}.new-", f".{out.name}.old-")
    return sorted(p for p in out.parent.iterdir() if p.name.startswith(prefixes) and p.is_dir())


def recover(out: Path) -> None:
    """Clean up after builds that died (called under the lock, so none of them is running).

    Had one died between the two renames of the fallback swap, its `.old-*` folder is the
    previous output: it is put back first.
    """
    found = leftovers(out)
    old = [p for p in found if p.name.startswith(f".{out.name}.old-")]
    if old and not out.exists():
        newest = max(old, key=lambda p: p.stat().st_mtime)
        newest.rename(out)
        found.remove(newest)
    for folder in found:
        shutil.rmtree(folder, ignore_errors=True)


def _swap(staging: Path, out: Path) -> bool:
    """Put STAGING in OUT's place: at every instant a complete site is at OUT. True when
    STAGING then holds the previous output.

    With RENAME_EXCHANGE the two folders trade places in one step. Elsewhere two renames are
    the best there is; `recover` repairs a build that dies between them.
    """
    if not out.exists():
        staging.rename(out)
        return False
    if exchange(staging, out):
        return True
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    old.rename(staging)
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# Errors meaning "this system or file system cannot exchange": fall back to two renames.
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _load_renameat2() -> Callable[..., int] | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    renameat2: Callable[..., int] = function
    return renameat2


_renameat2 = _load_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system cannot (then nothing happened)."""
    if _renameat2 is None:
        return False
    flags = _RENAME_EXCHANGE
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))
