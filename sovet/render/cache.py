"""Render cache: a page is rendered again only when what it shows has changed.

Each output is kept with the inputs it was made from (template, meta, context: model objects
and small values). Unchanged advices are the very same objects from build to build (see
AssembleCache), so comparing inputs is mostly identity checks. The cache is valid within one
epoch: the same sovet version, settings, templates and assets; `fingerprint` makes that key.

Between two `build` runs the outputs themselves are the cache: the last build's output
folder, untouched since, and the fingerprint of each output's inputs (`Previous`). An output
whose inputs are unchanged is linked from there instead of being made again.

A part that many pages show alike and that changes often (the recently-discussed list: one
new comment changes it on every advice page) is `Shared`: a page holding its HTML exactly once
is kept without it among its inputs, with where it starts, and the new HTML is put in its
place when it changes. What comes before the part does not depend on it, so the place stays.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .. import urls
from ..model import Advice, Card
from ..safe_files import read_regular

if TYPE_CHECKING:
    from .search import Parts
    from .theme import CompiledTemplates

Hasher = Any  # hashlib's blake2b object
MAX_OUTPUT = 1 << 40  # no output of a build is refused for its size
M = TypeVar("M")


def fingerprint(*values: object, memo: dict[int, tuple[object, bytes]] | None = None) -> bytes:
    """A digest of VALUES (model objects by their files' digest). MEMO keeps each frozen
    dataclass's own digest by identity, so a card on a hundred pages is walked once; a card
    is taken by its advice's digest."""
    hasher = hashlib.blake2b(digest_size=16)
    feed = partial(_feed, memo=memo if memo is not None else {})
    for value in values:
        feed(value, hasher)
    return hasher.digest()


_PLAIN = (bool, int, float, dt.date, dt.datetime)
_FIELDS: dict[type, tuple[bytes, tuple[str, ...]]] = {}  # a dataclass's name, compared fields


def _feed(value: object, hasher: Hasher, memo: dict[int, tuple[object, bytes]]) -> None:
    """Exact types first, by identity: a page's inputs are hundreds of small values, and
    a chain of isinstance checks for each cost more than the hashing."""
    kind = type(value)
    if kind is str:
        data = cast(str, value).encode("utf-8")
        hasher.update(b"s%d:" % len(data) + data)
    elif kind is tuple:
        items = cast(tuple[object, ...], value)
        hasher.update(b"(%d" % len(items))
        for item in items:
            _feed(item, hasher, memo)
        hasher.update(b")")
    elif kind is Card and cast(Card, value).digest:
        card = cast(Card, value)
        hasher.update(b"C" + card.digest + (b"1" if card.scheduled else b"0"))
    elif kind in _FIELDS:
        _feed_dataclass(value, kind, hasher, memo)
    elif kind is Advice:
        advice = cast(Advice, value)
        hasher.update(b"A" + advice.digest + (b"1" if advice.scheduled else b"0"))
    else:
        _feed_other(value, hasher, memo)


def _feed_dataclass(
    value: object, kind: type, hasher: Hasher, memo: dict[int, tuple[object, bytes]]
) -> None:
    found = memo.get(id(value))
    if found is None:
        name, names = _FIELDS[kind]
        inner = hashlib.blake2b(name, digest_size=16)
        for field_name in names:
            _feed(getattr(value, field_name), inner, memo)
        found = memo[id(value)] = (value, inner.digest())  # the value kept: its id stays
    hasher.update(b"D" + found[1])


def _feed_other(value: object, hasher: Hasher, memo: dict[int, tuple[object, bytes]]) -> None:
    update = hasher.update
    if isinstance(value, str):
        data = value.encode("utf-8")
        update(b"s%d:" % len(data) + data)
    elif isinstance(value, Advice):
        update(b"A" + value.digest + (b"1" if value.scheduled else b"0"))
    elif value is None or isinstance(value, _PLAIN):
        update(b"v" + repr(value).encode())
    elif isinstance(value, bytes):
        update(b"b%d:" % len(value) + value)
    elif isinstance(value, tuple | list):
        update(b"(%d" % len(value))
        for item in value:
            _feed(item, hasher, memo)
        update(b")")
    elif isinstance(value, dict):
        update(b"{%d" % len(value))
        for key in sorted(value, key=str):
            _feed(str(key), hasher, memo)
            _feed(value[key], hasher, memo)
        update(b"}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        names = tuple(f.name for f in dataclasses.fields(kind) if f.compare)
        _FIELDS[kind] = kind.__name__.encode(), names
        _feed_dataclass(value, kind, hasher, memo)
    else:
        update(b"r" + repr(value).encode())


@dataclass(frozen=True)
class Shared:
    """A part pages show alike: what it is made of, and its HTML."""

    inputs: object
    html: bytes


@dataclass(frozen=True)
class Kept:
    """An output the last build wrote that this build keeps as it is: its file there."""

    path: str  # a string: thousands are made in a publish, where a path object cost more

    def read(self) -> bytes:
        return read_regular(self.path, MAX_OUTPUT)


NOWHERE = -1  # an output that does not hold the shared part
Index = dict[str, tuple[bytes, int]]  # by key: the fingerprint of its inputs, where the part is


@dataclass
class Previous:
    """The last build's outputs, for a build in a new process: the output folder (as that
    build left it), each output's fingerprint and where it holds the shared part, and the
    shared part's HTML then."""

    folder: Path
    index: Index
    shared: bytes
    search: Parts = field(default_factory=dict)

    @property
    def root(self) -> str:
        return str(self.folder)


Made = bytes | Kept


@dataclass
class RenderCache:
    """Outputs by key (a URL or a feed path), each with the inputs it was made from.

    A cache that does not `keep` (one build) remembers nothing: every output goes on to the
    build's writer and leaves memory as soon as it is written. With PREVIOUS it keeps what the
    last build made, and `index` is what the next build gets.
    """

    keep: bool = True
    epoch: bytes = b""
    entries: dict[str, tuple[object, bytes, bytes | None, int]] = field(default_factory=dict)
    state: dict[str, object] = field(default_factory=dict)  # e.g. the Jinja environment
    previous: Previous | None = None
    records: bool = False  # fill `index` for the next build in another process
    index: Index = field(default_factory=dict)
    search: Parts = field(default_factory=dict)  # index parts
    printed: dict[int, tuple[object, bytes]] = field(default_factory=dict)  # fingerprint memo
    templates: CompiledTemplates | None = None  # as the last build compiled them
    hits: int = 0
    misses: int = 0

    def start(self, epoch: bytes) -> None:
        """Begin a build: a new epoch empties the cache; counters restart."""
        if epoch != self.epoch:
            self.epoch, self.entries, self.state = epoch, {}, {}
        self.hits = self.misses = 0
        self.index, self.printed = {}, {}

    def get(self, key: str, inputs: object, make: Callable[[], bytes]) -> bytes:
        found = self.lookup(key, inputs)
        if found is None:
            made = make()
            self.store(key, inputs, made)
            return made
        return found if isinstance(found, bytes) else found.read()

    def lookup(self, key: str, inputs: object, shared: Shared | None = None) -> Made | None:
        """The output as it would be made now, if it need not be made again."""
        alone = (inputs, shared.inputs if shared else None)  # what it depends on, in full
        entry = self.entries.get(key)
        if entry is not None:
            kept, data, block, at = entry
            wanted = inputs if block is not None else alone
            if kept is wanted or kept == wanted:
                self.hits += 1
                if block is not None and shared is not None and block != shared.html:
                    data = _spliced(data, at, block, shared.html)
                    self.entries[key] = (kept, data, shared.html, at)
                self._record(key, wanted, at)
                return data
        found = self._from_previous(key, inputs, alone, shared)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        return None

    def _from_previous(
        self, key: str, inputs: object, alone: object, shared: Shared | None
    ) -> Made | None:
        previous = self.previous
        last = previous.index.get(key) if previous else None
        if previous is None or last is None:
            return None
        printed, at = last
        wanted = inputs if at != NOWHERE else alone
        if printed != fingerprint(self.epoch, wanted, memo=self.printed):
            return None
        kept = Kept(f"{previous.root}/{key_path(key)}")
        if at != NOWHERE and shared is not None and previous.shared != shared.html:
            try:
                data = kept.read()
            except OSError:
                return None
            if not data.startswith(previous.shared, at):
                return None
            self.index[key] = last
            return _spliced(data, at, previous.shared, shared.html)
        self.index[key] = last
        return kept

    def _record(self, key: str, inputs: object, at: int) -> None:
        if self.records:
            self.index[key] = (fingerprint(self.epoch, inputs, memo=self.printed), at)

    def memo(self, name: str, kind: type[M]) -> M | None:
        """What a step keeps for the next build under NAME (a fresh KIND the first time);
        None for a cache that keeps nothing, so a cold build fills no memo it never reads."""
        if not self.keep:
            return None
        found = self.state.get(name)
        if not isinstance(found, kind):
            found = self.state[name] = kind()
        return found

    def store(self, key: str, inputs: object, data: bytes, shared: Shared | None = None) -> None:
        """Keep a new output; one holding the shared part once is kept without it."""
        holds = shared is not None and bool(shared.html.strip()) and data.count(shared.html) == 1
        at = data.find(shared.html) if holds and shared else NOWHERE
        wanted = inputs if holds else (inputs, shared.inputs if shared else None)
        self._record(key, wanted, at)
        if self.keep:
            self.entries[key] = (wanted, data, shared.html if holds and shared else None, at)

    def batch(self, sink: KeyedSink) -> Batch:
        return Batch(self, sink)

    def keep_only(self, keys: set[str]) -> None:
        """Forget outputs that no longer exist (a deleted advice, a tag gone)."""
        self.entries = {k: v for k, v in self.entries.items() if k in keys}


def _spliced(data: bytes, at: int, old: bytes, new: bytes) -> bytes:
    """DATA with NEW in place of OLD, which starts at AT; copied once."""
    view = memoryview(data)
    return b"".join((view[:at], new, view[at + len(old) :]))


def key_path(key: str) -> str:
    """Where an output's key (its URL) is in the output folder."""
    return str(urls.output_path(key))


KeyedSink = Callable[[str, Made], None]  # takes each output (key, data) as soon as it is ready
Runner = Callable[[list[Callable[[], bytes]]], Iterable[bytes]]


@dataclass
class Batch:
    """Outputs wanted together: hits come from the cache at once, misses are made in one go
    (so the caller's runner may make them in parallel); each output goes to the sink."""

    cache: RenderCache
    sink: KeyedSink
    pending: list[tuple[str, object, Shared | None, Callable[[], bytes]]] = field(
        default_factory=list
    )

    def want(
        self, key: str, inputs: object, make: Callable[[], bytes], shared: Shared | None = None
    ) -> str:
        """An output made from INPUTS; SHARED: a part it may show that is not among them."""
        found = self.cache.lookup(key, inputs, shared)
        if found is None:
            self.pending.append((key, inputs, shared, make))
        else:
            self.sink(key, found)
        return key

    def run(self, runner: Runner) -> None:
        pending, self.pending = self.pending, []
        made = runner([make for *_, make in pending])
        for (key, inputs, shared, _), data in zip(pending, made, strict=True):
            self.cache.store(key, inputs, data, shared)
            self.sink(key, data)
