"""Render cache: a page is rendered again only when what it shows has changed.

Each output is kept with the inputs it was made from (template, meta, context: model objects
and small values). Unchanged advices are the very same objects from build to build (see
AssembleCache), so comparing inputs is mostly identity checks. The cache is valid within one
epoch: the same sovet version, settings, templates and assets; `fingerprint` makes that key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..model import Advice

Hasher = Any  # hashlib's blake2b object
M = TypeVar("M")


def fingerprint(*values: object) -> bytes:
    hasher = hashlib.blake2b(digest_size=16)
    for value in values:
        _feed(value, hasher)
    return hasher.digest()


def _feed(value: object, hasher: Hasher) -> None:
    update = hasher.update
    if isinstance(value, Advice):
        update(b"A" + value.digest + (b"1" if value.scheduled else b"0"))
    elif isinstance(value, str):
        data = value.encode("utf-8")
        update(b"s%d:" % len(data) + data)
    elif value is None or isinstance(value, bool | int | float | dt.date | dt.datetime):
        update(b"v" + repr(value).encode())
    elif isinstance(value, bytes):
        update(b"b%d:" % len(value) + value)
    elif isinstance(value, tuple | list):
        update(b"(%d" % len(value))
        for item in value:
            _feed(item, hasher)
        update(b")")
    elif isinstance(value, dict):
        update(b"{%d" % len(value))
        for key in sorted(value, key=str):
            _feed(str(key), hasher)
            _feed(value[key], hasher)
        update(b"}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        update(type(value).__name__.encode())
        for item in dataclasses.fields(value):
            if item.compare:
                _feed(getattr(value, item.name), hasher)
    else:
        update(b"r" + repr(value).encode())


@dataclass
class RenderCache:
    """Outputs by key (a URL or a feed path), each with the fingerprint it was made from.

    A cache that does not `keep` (one cold build) remembers nothing: every output goes on to
    the build's writer and leaves memory as soon as it is written.
    """

    keep: bool = True
    epoch: bytes = b""
    entries: dict[str, tuple[object, bytes]] = field(default_factory=dict)
    state: dict[str, object] = field(default_factory=dict)  # e.g. the Jinja environment
    hits: int = 0
    misses: int = 0

    def start(self, epoch: bytes) -> None:
        """Begin a build: a new epoch empties the cache; counters restart."""
        if epoch != self.epoch:
            self.epoch, self.entries, self.state = epoch, {}, {}
        self.hits = self.misses = 0

    def get(self, key: str, inputs: object, make: Callable[[], bytes]) -> bytes:
        found = self.lookup(key, inputs)
        if found is None:
            found = make()
            self.store(key, inputs, found)
        return found

    def lookup(self, key: str, inputs: object) -> bytes | None:
        found = self.entries.get(key)
        if found is not None and (found[0] is inputs or found[0] == inputs):
            self.hits += 1
            return found[1]
        self.misses += 1
        return None

    def memo(self, name: str, kind: type[M]) -> M | None:
        """What a step keeps for the next build under NAME (a fresh KIND the first time);
        None for a cache that keeps nothing, so a cold build fills no memo it never reads."""
        if not self.keep:
            return None
        found = self.state.get(name)
        if not isinstance(found, kind):
            found = self.state[name] = kind()
        return found

    def store(self, key: str, inputs: object, data: bytes) -> None:
        if self.keep:
            self.entries[key] = (inputs, data)

    def batch(self, sink: KeyedSink) -> Batch:
        return Batch(self, sink)

    def keep_only(self, keys: set[str]) -> None:
        """Forget outputs that no longer exist (a deleted advice, a tag gone)."""
        self.entries = {k: v for k, v in self.entries.items() if k in keys}


KeyedSink = Callable[[str, bytes], None]  # takes each output (key, data) as soon as it is ready
Runner = Callable[[list[Callable[[], bytes]]], Iterable[bytes]]


@dataclass
class Batch:
    """Outputs wanted together: hits come from the cache at once, misses are made in one go
    (so the caller's runner may make them in parallel); each output goes to the sink."""

    cache: RenderCache
    sink: KeyedSink
    pending: list[tuple[str, object, Callable[[], bytes]]] = field(default_factory=list)

    def want(self, key: str, inputs: object, make: Callable[[], bytes]) -> str:
        found = self.cache.lookup(key, inputs)
        if found is None:
            self.pending.append((key, inputs, make))
        else:
            self.sink(key, found)
        return key

    def run(self, runner: Runner) -> None:
        pending, self.pending = self.pending, []
        made = runner([make for _, _, make in pending])
        for (key, inputs, _), data in zip(pending, made, strict=True):
            self.cache.store(key, inputs, data)
            self.sink(key, data)
