"""The build cache in SITE/.sovet-cache/: what lets the next `build` skip work.

Two things are kept. A stamp of every input (each file's path, size and modification time,
the options, sovet's version) with the output it produced: when nothing changed and the
output folder is as it was left, a build has nothing to do. And the rendered Markdown of
every body by its file's digest, since rendering Markdown is most of a build: the bodies
themselves in segment files under bodies/ (see bodies.py), where the build wrote them, and
where each one is in bodies.pickle. Anything unreadable in the cache is ignored: the cache
can only save time, never change a result.

The cache lives in the site's folder, which others may share, so it is signed with a key
kept in the user's own cache folder: a file someone else wrote there is never unpickled.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import hmac
import io
import os
import pickle
import secrets
import signal
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from . import SHIPPED_THEMES, __version__
from .bodies import PREFIX, Body, BodyStoreError, Segments, Stored
from .content.stamps import folder_stamp
from .model import Advice
from .output import stamp_line
from .parallel import uncollected
from .render.cache import Index, Previous
from .safe_files import Folder, private
from .summary import Summary

if TYPE_CHECKING:
    from .assemble import AssembleCache
    from .render.search import Parts

FOLDER = ".sovet-cache"
WATCHED = ("content", "templates", "themes", "static")

# Segments are rewritten into one when they hold more than twice the bodies still in use, or
# are this many: each build that renders something adds one or two.
MOST_SEGMENTS = 32
MAX_PICKLE = 1 << 30
# What a kept body holds: a cache written with another layout is not read.
BODY_FORMAT = 5


Bodies = dict[tuple[bytes, bool], Body]
Moved = dict[Stored, Stored]  # bodies copied into a new segment: where each one is now
MODEL_FORMAT = 5  # 5: a card holds its advice's digest
RENDERS_FORMAT = 3  # 2: each output's shared part by where it starts; 3: index parts' dates
# The kept column's advices are saved in this many files by digest, named by model.pickle:
# a build that changed one advice writes the one or two files that hold it, not the column.
BUCKETS = 64
BUCKET = "model-"


@dataclass
class Column:
    """The assembled column a build leaves for the next one: each advice folder's stamp and
    digest (a folder whose stamp is unchanged is not read again), and the assembled advices
    with the lists made of them (an unchanged folder's advice is taken as it is)."""

    stamps: dict[str, bytes]
    folders: dict[str, tuple[str, bytes, frozenset[str]]]  # slug -> shown, digest, unreadable
    assemble: AssembleCache


class Target(NamedTuple):
    """A build as its stamps know it: the output folder, and the options that change what
    is written into it."""

    out: Path
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None
    base_url: str | None = None
    allow_broken_links: bool = False

    @property
    def options(self) -> tuple[object, ...]:
        """What the input stamp is taken with besides the files (the output resolved)."""
        resolved = str(self.out.resolve())
        return (
            self.drafts,
            self.future,
            self.now,
            self.base_url,
            self.allow_broken_links,
            resolved,
        )


@dataclass
class Saved:
    """What a finished build leaves for the next one (small: read by every build)."""

    inputs: bytes = b""
    output: bytes = b""
    valid_until: dt.datetime | None = None
    summary: Any = None
    hints: Any = None  # links.Hints.made: the did-you-mean hints of the broken links


class DiskCache:
    def __init__(self, root: Path) -> None:
        root = root.resolve()  # the stamps name files by it: one cache however it is written
        self.folder = root / FOLDER
        self.root = root
        self.refused = ""  # why the cache was not used, to tell the user
        self._inputs: dict[tuple[object, ...], bytes] = {}  # one walk of the inputs per build
        self.folder_stamps: dict[str, bytes] = {}  # each advice folder's, as that walk found it
        self._moved: Moved = {}  # by this build's save_bodies, for save_model
        self._left: set[str] = set()  # buckets as the last build left them, read by this one
        self._ahead: _Ahead | None = None  # stamps being taken on another process
        self._output_then: tuple[str, bytes] | None = None  # the output's stamp, taken ahead
        self._state: tuple[int, int, int] | None = None  # the state file `load` read

    def _open(self, inside: str = "", create: bool = False) -> Folder | None:
        """The cache folder (or the folder INSIDE it), only if it is the user's own and
        nobody else may write to it: a neighbour who can write into the site folder must not
        put bodies into the next build. None otherwise, with `refused` saying why."""
        try:
            folder = Folder.open(self.root, FOLDER, create=create, mode=0o700)
        except FileNotFoundError:
            return None
        except OSError as error:
            self.refused = f"{self.folder} cannot be used ({error}): built without the cache"
            return None
        try:
            if private(os.fstat(folder.fd)) and create:
                with contextlib.suppress(FileExistsError):
                    folder.create(".gitignore", b"*\n")
            if private(os.fstat(folder.fd)) and inside:
                outer, folder = folder, folder.folder(inside, create=create, mode=0o700)
                outer.close()
        except OSError as error:
            folder.close()
            self.refused = f"{self.folder} cannot be used ({error}): built without the cache"
            return None
        if private(os.fstat(folder.fd)):
            return folder
        folder.close()
        self.refused = (
            f"{self.folder} is not private (another user may write to it): built without the "
            "cache; delete the folder and the next build makes a private one"
        )
        return None

    def build_stamp(self, target: Target) -> bytes:
        """The stamp of a build of this site into TARGET's folder with its options."""
        return self.input_stamp(*target.options)

    def stamp_ahead(self, target: Target) -> None:
        """Take `build_stamp` and the output's stamp on a forked process, while this one
        imports the builder and reads the last build's column: at 10 000 advices, walking
        the two folders is a second of every build. Without fork, they are taken when asked
        for. The process is forked before any thread or lock of the build exists."""
        if not hasattr(os, "fork") or self._ahead is not None:
            return
        options, out = target.options, target.out
        readable, writable = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                os.close(readable)
                found = (self._input_stamp(*options), self.folder_stamps, self.output_stamp(out))
                with open(writable, "wb") as pipe:
                    pickle.dump(found, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)  # nothing of this process's (buffers, exit handlers) runs twice
        os.close(writable)
        self._ahead = _Ahead(pid, readable, options)

    def _collect(self) -> None:
        """The stamps taken ahead, once they are there; none if that process failed."""
        ahead, self._ahead = self._ahead, None
        if ahead is None:
            return
        with open(ahead.fd, "rb") as pipe:
            data = pipe.read()
        if os.waitpid(ahead.pid, 0)[1] != 0:
            return
        stamp, folders, output = pickle.loads(data)  # our own child's: no one else's bytes
        self._inputs[ahead.options] = stamp
        self.folder_stamps.update(folders)
        self._output_then = (str(ahead.options[-1]), output)

    def drop_ahead(self) -> None:
        """Stop the stamps taken ahead (the build did not get to them)."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            with contextlib.suppress(OSError):
                os.kill(ahead.pid, signal.SIGKILL)
            os.close(ahead.fd)
            os.waitpid(ahead.pid, 0)

    def still_fresh(self, saved: Saved, stamp: bytes, out: Path, now: dt.datetime | None) -> bool:
        """Nothing to do: same inputs, the output as it was left, no advice came due since."""
        if saved.summary is None or saved.inputs != stamp or not out.is_dir():
            return False
        due = saved.valid_until
        if due is not None:
            moment = now or dt.datetime.now(dt.UTC)
            if moment.tzinfo is None:  # a --clock without a zone is in the site's zone, like `due`
                moment = moment.replace(tzinfo=due.tzinfo)
            if moment >= due:
                return False
        return saved.output == self.output_at_start(out)

    def fresh_summary(self, target: Target) -> Summary | None:
        """The last build's summary when a build now would change nothing, else None."""
        saved = self.load()
        if not isinstance(saved.summary, Summary):
            return None
        stamp = self.build_stamp(target)
        fresh = self.still_fresh(saved, stamp, target.out, target.now)
        return saved.summary if fresh else None

    def input_stamp(self, *options: object) -> bytes:
        """Changes whenever a file of the site or its themes, or an option, changes (walked
        once per instance: the command's check and the build share it)."""
        if options not in self._inputs:
            self._collect()
        if options not in self._inputs:
            self._inputs[options] = self._input_stamp(*options)
        return self._inputs[options]

    def _input_stamp(self, *options: object) -> bytes:
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(repr((__version__, sys.version, options)).encode())
        advice = self.root / "content" / "advice"
        for base in [
            self.root / "site.toml",
            *(self.root / name for name in WATCHED),
            SHIPPED_THEMES,
        ]:
            hasher.update(stamp_lines(base, advice).encode())
        # Each advice folder by the stamp the loader compares (the files it reads), taken
        # once: the build reads only the folders whose stamp changed.
        with contextlib.suppress(OSError), os.scandir(advice) as found:
            for entry in sorted(found, key=lambda entry: entry.name):
                name = entry.name
                stamp = folder_stamp(entry.path) if entry.is_dir() else None
                if stamp is not None:
                    self.folder_stamps[name] = stamp
                hasher.update(name.encode() + b"\0" + (stamp or b"-") + b"\n")
        return hasher.digest()

    @staticmethod
    def output_stamp(out: Path, listing: list[str] | None = None) -> bytes:
        """Changes whenever anything in the output folder is touched, added or removed; its
        files are named under the folder resolved, however the command line wrote it.
        LISTING: its lines (`stamp_lines`) as the build that wrote it found them."""
        lines = "".join(listing) if listing is not None else stamp_lines(out.resolve())
        return hashlib.blake2b(lines.encode(), digest_size=16).digest()

    def output_at_start(self, out: Path) -> bytes:
        """The output's stamp before this build wrote it: the one taken ahead with the
        inputs, unless another build has saved its state since `load` (it may have put a
        new output in place meanwhile)."""
        self._collect()
        then = self._output_then
        if then is not None and then[0] == str(out.resolve()) and self._state == self._state_now():
            return then[1]
        return self.output_stamp(out)

    def load(self) -> Saved:
        self._state = self._state_now()
        saved = self._read("state.pickle")
        return saved if isinstance(saved, Saved) else Saved()

    def _state_now(self) -> tuple[int, int, int] | None:
        """Which state file is there: a build saves a new one (renamed into place)."""
        try:
            info = os.stat(self.folder / "state.pickle")
        except OSError:
            return None
        return info.st_ino, info.st_size, info.st_mtime_ns

    @contextmanager
    def segments(self) -> Iterator[Segments | None]:
        """The cache's segment folder for this build alone, or None when it cannot be written
        or another build holds it (that build then goes on without the cache's bodies)."""
        folder = self._open("bodies", create=True)
        if folder is None:
            yield None
            return
        with folder:
            try:
                fcntl.flock(folder.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield None
                return
            with Segments(folder.path) as segments:  # closing the folder releases the lock
                yield segments

    def bodies(self, key: tuple[object, ...]) -> Bodies:
        """Rendered bodies of the last build, if they were made the same way and their segments
        are as that build left them."""
        found = self._read("bodies.pickle")
        if not (
            isinstance(found, tuple)
            and len(found) == 4
            and found[0] == (__version__, BODY_FORMAT, *key)
        ):
            return {}
        _, keys, columns, stats = found
        intact = {path for path, stat in stats.items() if _segment_stat(path) == stat}
        intact = {path for path in intact if _private_file(path)}
        bodies = zip(keys, map(Stored._make, zip(*columns, strict=True)), strict=True)
        return {key: body for key, body in bodies if body.path in intact}

    def save_bodies(self, key: tuple[object, ...], bodies: Bodies, segments: Segments) -> None:
        """Keep BODIES (all in SEGMENTS' folder) for the next build; other segments go."""
        stored = {k: body for k, body in bodies.items() if isinstance(body, Stored)}
        paths = {body.path for body in stored.values()}
        live = sum(body.size for body in stored.values())
        try:
            total = sum(os.stat(path).st_size for path in paths)
            if total > 2 * live + (1 << 20) or len(paths) > MOST_SEGMENTS:
                moved = {
                    body: segments.append(
                        body.data(), body.html_size, body.text_size, body.links, body.link_lines
                    )
                    for body in stored.values()
                }
                stored = {k: moved[body] for k, body in stored.items()}
                self._moved = moved
        except (OSError, BodyStoreError):
            return  # the site is built; only the next build will be slower
        stats = {path: _segment_stat(path) for path in {body.path for body in stored.values()}}
        # Field by field: a named tuple pickles through a Python call each, a tuple of ints or
        # of strings in C (123 000 bodies: 0.33 s -> 0.1 s, and as much again to read them).
        columns = tuple(zip(*stored.values(), strict=True))
        self._write(
            "bodies.pickle", ((__version__, BODY_FORMAT, *key), tuple(stored), columns, stats)
        )
        for path in segments.folder.glob(f"{PREFIX}*"):
            if str(path) not in stats:
                path.unlink(missing_ok=True)

    def previous(self, saved: Saved, out: Path) -> Previous | None:
        """The last build's outputs, when the output folder is exactly as it left them."""
        found = self._read("renders.pickle")
        version = (__version__, RENDERS_FORMAT)
        if not (isinstance(found, tuple) and len(found) == 4 and found[0] == version):
            return None
        if not saved.output or not out.is_dir() or saved.output != self.output_at_start(out):
            return None
        _, index, shared, search = found
        return Previous(out, index, shared, search)

    def save_previous(
        self,
        index: Index,
        shared: bytes,
        search: Parts,
    ) -> None:
        """What the next build needs to keep this build's outputs: each one's fingerprint,
        the shared part's HTML in them, and the search index's parts."""
        self._write("renders.pickle", ((__version__, RENDERS_FORMAT), index, shared, search))

    def model(self, key: tuple[object, ...]) -> Column | None:
        """The last build's column, when made with the same settings and options (KEY) and
        every body it holds is still where that build left it."""
        found = self._read("model.pickle")
        if not (isinstance(found, tuple) and len(found) == 4):
            return None
        version, segments, buckets, main = found
        if version != (__version__, MODEL_FORMAT) or not isinstance(main, bytes):
            return None
        if any(_segment_stat(path) != stat or not _private_file(path) for path, stat in segments):
            return None
        advices = self._read_buckets(buckets)
        if advices is None:
            return None
        try:
            with uncollected():
                kept = _Resolving(main, advices).load()
        except Exception:  # any damage means: no column
            return None
        if not isinstance(kept, Column) or kept.assemble.key != key:
            return None
        kept.assemble.advices = advices
        return kept

    def save_model(self, kept: Column) -> None:
        """Keep the column for the next build, its bodies where `save_bodies` left them (it
        may have rewritten the segments into one); not when a body it holds is gone: the
        next build assembles it again. Only the buckets of advices the last build did not
        leave are written."""
        named, paths = _buckets(kept.assemble.advices, self._moved)
        stats = [(path, _segment_stat(path)) for path in sorted(paths)]
        if any(stat is None for _, stat in stats):
            self._remove("model.pickle")
            return
        try:
            self._write_buckets(named)
            main = io.BytesIO()
            column = replace(kept, assemble=replace(kept.assemble, advices={}))
            _ByDigest(main, kept.assemble.advices, self._moved).dump(column)
        except RecursionError:  # a thread thousands of replies deep: assembled again next time
            self._remove("model.pickle")
            return
        version = (__version__, MODEL_FORMAT)
        self._write("model.pickle", (version, stats, tuple(named), main.getvalue()))
        self._remove_buckets(named)

    def _read_buckets(self, names: object) -> dict[bytes, Any] | None:
        """What the buckets NAMES hold together; None when one is gone or damaged."""
        if not isinstance(names, tuple):
            return None
        found: dict[bytes, Any] = {}
        for name in names:
            part = self._read(name)
            if not isinstance(part, dict):
                return None
            self._left.add(name)
            found.update(part)
        return found

    def _write_buckets(self, named: dict[str, dict[bytes, Any]]) -> None:
        """Each bucket of NAMED, but those the last build left as they are (their names say
        what they hold)."""
        folder = self._open()
        left: set[str] = set()
        if folder is not None:
            with folder:
                left = {name for name in self._left & named.keys() if folder.is_file(name)}
        for name, part in named.items():
            if name not in left:
                self._write(name, part, self._moved)

    def _remove_buckets(self, named: dict[str, dict[bytes, Any]]) -> None:
        """The buckets NAMED no longer has (once model.pickle, which names them, is saved)."""
        folder = self._open()
        if folder is not None:
            with folder, contextlib.suppress(OSError):
                for name in folder.names():
                    if name.startswith(BUCKET) and name not in named:
                        folder.remove(name)

    def _remove(self, name: str) -> None:
        folder = self._open()
        if folder is not None:
            with folder, contextlib.suppress(OSError):
                folder.remove(name)

    def templates(self) -> dict[str, bytes]:
        """Jinja's compiled templates by key, as the last build left them."""
        kept = self._read("templates.pickle")
        return kept if isinstance(kept, dict) else {}

    def save_templates(self, compiled: dict[str, bytes]) -> None:
        self._write("templates.pickle", compiled)

    def save(self, saved: Saved) -> None:
        self._write("state.pickle", saved)

    def _read(self, name: str) -> object:
        key = _key()
        folder = self._open()
        if folder is None:
            return None
        try:
            with folder:
                data = folder.read(name, MAX_PICKLE)
        except OSError:
            return None  # missing, or a link or a pipe put there: no cache
        mac, payload = data[:32], memoryview(data)[32:]  # a view: no copy of a large cache
        if key is None or not hmac.compare_digest(mac, _sign(key, payload)):
            return None  # not written by this user's sovet: never unpickled
        try:
            with uncollected():
                return pickle.loads(payload)
        except Exception:  # any damage means: no cache
            return None

    def _write(self, name: str, value: object, moved: Moved | None = None) -> None:
        """Written aside and renamed into place: a killed build leaves the old cache whole.

        Pickled straight into the file through the signature, so a large cache is never held
        in memory as one more copy of itself; each body in MOVED as it is now."""
        key = _key()
        folder = self._open(create=True) if key is not None else None
        if key is None or folder is None:
            return
        try:
            with folder, folder.writing(name, 0o600) as handle:
                handle.write(bytes(32))  # the signature's place
                signed = _Signed(handle, hmac.new(key, digestmod=hashlib.sha256))
                if moved:
                    _Moving(signed, moved).dump(value)
                else:
                    pickle.dump(value, signed, protocol=pickle.HIGHEST_PROTOCOL)
                handle.seek(0)
                handle.write(signed.mac.digest())
        except OSError:
            pass  # a read-only site still builds, only slower next time


@dataclass(frozen=True)
class _Ahead:
    """Stamps being taken on a forked process: its id, the pipe they come back on, and the
    options they are for."""

    pid: int
    fd: int
    options: tuple[object, ...]


class _Moving(pickle.Pickler):
    """Pickles each body of MOVED at its new place, without a copy of what holds it (it is
    asked about every object: used only when bodies moved)."""

    def __init__(self, file: _Signed | BinaryIO, moved: Moved) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.moved = moved

    def reducer_override(self, obj: object) -> Any:
        if type(obj) is Stored and obj in self.moved:
            return Stored, tuple(self.moved[obj])
        return NotImplemented


class _ByDigest(_Moving):
    """Pickles the column without its advices: each one as its digest, which `_Resolving`
    turns back into the advice of that digest in the buckets."""

    def __init__(self, file: BinaryIO, advices: dict[bytes, Any], moved: Moved) -> None:
        super().__init__(file, moved)
        self.digests = {id(cached.advice): digest for digest, cached in advices.items()}

    def persistent_id(self, obj: object) -> bytes | None:
        return self.digests.get(id(obj))

    def reducer_override(self, obj: object) -> Any:
        return super().reducer_override(obj) if self.moved else NotImplemented


class _Resolving(pickle.Unpickler):
    """Unpickles what `_ByDigest` pickled (it came inside the signed model.pickle)."""

    def __init__(self, data: bytes, advices: dict[bytes, Any]) -> None:
        super().__init__(io.BytesIO(data))
        self.advices = advices

    def persistent_load(self, pid: object) -> object:
        if not isinstance(pid, bytes) or pid not in self.advices:
            raise pickle.UnpicklingError("an advice the buckets do not hold")
        return self.advices[pid].advice


def _buckets(
    advices: dict[bytes, Any], moved: Moved
) -> tuple[dict[str, dict[bytes, Any]], set[str]]:
    """The kept ADVICES in buckets by the first byte of their digest, each named after what
    it holds (the digests, whether each advice was still scheduled, and the segment files
    their bodies are in once MOVED), so a bucket of the same name is the same bytes and need
    not be written again; and every segment file they use."""
    parts: list[list[tuple[bytes, str, Any]]] = [[] for _ in range(BUCKETS)]
    every: set[str] = set()
    for digest, cached in advices.items():
        places = _places(cached, moved)
        every |= places
        identity = "\0".join([str(cached.advice.scheduled), *sorted(places)])
        parts[digest[0] % BUCKETS].append((digest, identity, cached))
    named = {}
    for part in parts:
        if part:
            part.sort(key=lambda item: item[0])
            hasher = hashlib.blake2b(b"".join([item[0] for item in part]), digest_size=12)
            hasher.update("\n".join([item[1] for item in part]).encode())
            named[f"{BUCKET}{hasher.hexdigest()}.pickle"] = {d: c for d, _, c in part}
    return named, every


def _places(cached: Any, moved: Moved) -> set[str]:
    """The segment files a kept advice's bodies are in (once MOVED to their new places)."""
    advice: Advice = cached.advice
    bodies = [advice.question, advice.answer, *(comment.body for comment in advice.comments())]
    return {moved.get(body, body).path for body in bodies if isinstance(body, Stored)}


class _Signed:
    """A file that signs what is written through it."""

    def __init__(self, handle: BinaryIO, mac: hmac.HMAC) -> None:
        self.handle, self.mac = handle, mac

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.handle.write(data)


def _sign(key: bytes, payload: bytes | memoryview) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


@functools.lru_cache(maxsize=1)
def _key() -> bytes | None:
    """This user's signing key, made on first use; None (no cache) if it cannot be kept."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "sovet" / "cache-key"
    try:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        key = path.read_bytes()
    except (OSError, RuntimeError):
        return None
    return key if len(key) == 32 else None


def stamp_lines(base: Path, leaves: Path | None = None) -> str:
    """A line for every file under BASE (or BASE itself), in sorted order: its path, size,
    modification and change times; in LEAVES, only its own files (not those of the folders
    in it). Folders that cannot be read are left out. One string for the whole walk: hashing
    it once costs less than a call per file (a 10 000-advice output holds 43 000 files)."""
    if base.is_file():
        info = base.stat()
        return stamp_line(str(base), info)
    lines: list[str] = []
    add = lines.append
    todo = [str(base)]  # a stack, not recursion: a static folder may nest deeply
    while todo:
        folder = todo.pop()
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda entry: entry.name)
        except OSError:
            continue
        folders = []
        for entry in entries:
            if entry.is_dir():
                if not entry.is_symlink():
                    folders.append(entry.path)
                continue
            try:
                info = os.stat(entry.path)
            except OSError:
                continue
            add(stamp_line(entry.path, info))
        if leaves is None or folder != str(leaves):
            todo.extend(reversed(folders))
    return "".join(lines)


def _segment_stat(path: str) -> tuple[int, int, int] | None:
    """What changes when a segment is touched: its inode, size and modification time."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def _private_file(path: str) -> bool:
    """A regular file of the user's own that nobody else may write to (not a link)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and private(info)
