"""The build cache in SITE/.sovet-cache/: what lets the next `build` skip work.

Two things are kept. A stamp of every input (each file's path, size and modification time,
the options, sovet's version) with the output it produced: when nothing changed and the
output folder is as it was left, a build has nothing to do. And the rendered Markdown of
every body by its file's digest, since rendering Markdown is most of a build. Anything
unreadable in the cache is ignored: the cache can only save time, never change a result.

The cache lives in the site's folder, which others may share, so it is signed with a key
kept in the user's own cache folder: a file someone else wrote there is never unpickled.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import __version__
from .summary import Summary

if TYPE_CHECKING:
    from .markdown import Rendered

FOLDER = ".sovet-cache"
WATCHED = ("content", "templates", "themes", "static")
SHIPPED_THEMES = Path(__file__).resolve().parent.parent / "themes"


Bodies = dict[tuple[bytes, bool], "Rendered"]


@dataclass
class Saved:
    """What a finished build leaves for the next one (small: read by every build)."""

    inputs: bytes = b""
    output: bytes = b""
    valid_until: dt.datetime | None = None
    summary: Any = None


class DiskCache:
    def __init__(self, root: Path) -> None:
        self.folder = root / FOLDER
        self.root = root

    def build_stamp(
        self, out: Path, drafts: bool, future: bool, now: dt.datetime | None, base_url: str | None
    ) -> bytes:
        """The stamp of a build of this site into `out` with these options."""
        return self.input_stamp(drafts, future, now, base_url, str(out.resolve()))

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
        return saved.output == self.output_stamp(out)

    def fresh_summary(
        self, out: Path, drafts: bool, future: bool, now: dt.datetime | None, base_url: str | None
    ) -> Summary | None:
        """The last build's summary when a build now would change nothing, else None."""
        saved = self.load()
        if not isinstance(saved.summary, Summary):
            return None
        stamp = self.build_stamp(out, drafts, future, now, base_url)
        return saved.summary if self.still_fresh(saved, stamp, out, now) else None

    def input_stamp(self, *options: object) -> bytes:
        """Changes whenever a file of the site or its themes, or an option, changes."""
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(repr((__version__, sys.version, options)).encode())
        for base in [
            self.root / "site.toml",
            *(self.root / name for name in WATCHED),
            SHIPPED_THEMES,
        ]:
            for path, info in _walk(base):
                hasher.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        return hasher.digest()

    @staticmethod
    def output_stamp(out: Path) -> bytes:
        """Changes whenever anything in the output folder is touched, added or removed."""
        hasher = hashlib.blake2b(digest_size=16)
        for path, info in _walk(out):
            hasher.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        return hasher.digest()

    def load(self) -> Saved:
        saved = self._read("state.pickle")
        return saved if isinstance(saved, Saved) else Saved()

    def bodies(self, key: tuple[object, ...]) -> Bodies:
        """Rendered bodies of the last build, if they were made the same way."""
        found = self._read("bodies.pickle")
        if isinstance(found, tuple) and len(found) == 2 and found[0] == (__version__, *key):
            return dict(found[1])
        return {}

    def save(self, saved: Saved, key: tuple[object, ...], bodies: Bodies) -> None:
        self._write("bodies.pickle", ((__version__, *key), bodies))
        self._write("state.pickle", saved)

    def _read(self, name: str) -> object:
        key = _key()
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        mac, payload = data[:32], memoryview(data)[32:]  # a view: no copy of a large cache
        if key is None or not hmac.compare_digest(mac, _sign(key, payload)):
            return None  # not written by this user's sovet: never unpickled
        try:
            return pickle.loads(payload)
        except Exception:  # any damage means: no cache
            return None

    def _write(self, name: str, value: object) -> None:
        """Written aside and renamed into place: a killed build leaves the old cache whole.

        Pickled straight into the file through the signature, so a large cache is never held
        in memory as one more copy of itself."""
        key = _key()
        if key is None:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", "utf-8")
            temporary = self.folder / f"{name}.{os.getpid()}"
            with temporary.open("wb") as handle:
                handle.write(bytes(32))  # the signature's place
                signed = _Signed(handle, hmac.new(key, digestmod=hashlib.sha256))
                pickle.dump(value, signed, protocol=pickle.HIGHEST_PROTOCOL)
                handle.seek(0)
                handle.write(signed.mac.digest())
            temporary.replace(self.folder / name)
        except OSError:
            pass  # a read-only site still builds, only slower next time


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


def _walk(base: Path) -> list[tuple[str, os.stat_result]]:
    """Every file under base (or base itself), sorted, with its stat."""
    if base.is_file():
        return [(str(base), base.stat())]
    found = []
    for folder, dirs, files in os.walk(base):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                found.append((path, os.stat(path)))
            except OSError:
                continue
    return found
