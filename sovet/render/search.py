"""The search index: Pagefind run over the advices and their discussions, beside the build.

Each advice is one record made from the model (its title, question, answer and every visible
comment with its author), with its rubric and topics as filters and its title and date as
metadata. Records need no rendered page, so Pagefind (its own process) indexes while sovet
renders: `Indexer.start` sends every record and returns, `Indexer.finish` collects the bundle.

The binary of the `pagefind_bin` package is driven through its `--service` protocol (JSON in
base64, each message ended by a comma), the protocol `pagefind.index.PagefindIndex` speaks. We
do not use that class: its reader sleeps 100 ms before each answer (a 1000-advice column would
wait 100 s), it reads the whole index in one answer through a 2 MiB buffer (it hangs past about
a hundred advices), and leaving its context writes files to the disk. The request shapes are
the package's own TypedDicts, so mypy checks them against the installed version. The service
handles one message at a time, in the order they arrive, so records sent in a stable order
give the same index every time.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import io
import itertools
import json
import math
import os
import string
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import PurePosixPath
from typing import IO, Any, NamedTuple, cast

import babel
import Stemmer
from babel import Locale, UnknownLocaleError
from pagefind.service import get_executable
from pagefind.service.types import (
    InternalAddRecordRequest,
    InternalGetFilesRequest,
    InternalNewIndexRequest,
    InternalRequestPayload,
)

from ..model import Advice, Site, When
from ..output import Sink
from ..problems import BuildFailed, Problem
from ..settings import Settings

BUNDLE = PurePosixPath("pagefind")
# The bundle files the search page loads; Pagefind's own UIs and the playground are left out.
_SCRIPTS = frozenset({"pagefind.js", "pagefind-worker.js", "pagefind-entry.json"})
_DATA = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")
_CHUNK = 1 << 20
_ENTRY = "pagefind-entry.json"
_SIGNATURE = b"pagefind_dcd"


class SearchFailed(Exception):
    """Pagefind could not be started or answered with an error."""


def content(advice: Advice) -> str:
    """What a search finds an advice by: its title, the letter, the answer, the discussion."""
    parts = [advice.title, advice.question_text, _signed(advice.author)]
    parts += [advice.answer_text, _signed(advice.answer_author)]
    parts += [f"{comment.author}: {comment.text}" for comment in advice.comments()]
    return "\n\n".join(part for part in parts if part)


def _signed(name: str) -> str:
    """A signature as a reader sees it in an excerpt, where paragraphs run together."""
    return f"— {name}" if name else ""


def record(
    advice: Advice,
    language: str,
    date: Callable[[When], str],
    text: Callable[[Advice], str] = content,
) -> InternalAddRecordRequest:
    """One advice as a Pagefind record (index 0: the only index of the process)."""
    filters = {"tag": [tag.name for tag in advice.tags]}
    if advice.rubric is not None:
        filters["rubric"] = [advice.rubric.title]
    return InternalAddRecordRequest(
        type="AddRecord",
        index_id=0,
        url=advice.url,
        content=text(advice),
        language=language,
        meta={"title": advice.title, "date": date(advice.when)},
        filters=filters,
        sort=None,
    )


# Pagefind's process holds every record of an index until it writes it (about 0.37 MB per
# advice of the synthetic column), so a long column is indexed in parts, one after another,
# and the search page merges them (Pagefind's mergeIndex). A change is indexed again with its
# part (about 5.5 ms an advice, on the publish's critical path in a small column), and a query
# loads a few files of every part. Parts grow as the column's size to the power 3/4, so their
# count grows only as its fourth root: PART_SIZE advices up to 1 500 (1 000 advices: 20
# parts, indexed again in 0.3 s), 300 at 10 000 (34 parts), 950 at 50 000 (53 parts).
PART_SIZE = 50


def part_size(advices: int) -> int:
    """How many advices a part of the index holds in a column of ADVICES."""
    return PART_SIZE * max(1, round(math.pow(advices / 1000, 0.75)))


def parts(site: Site) -> list[tuple[PurePosixPath, tuple[Advice, ...]]]:
    """The index's parts, oldest advices first (a new week's advice changes only the last
    part): pagefind/ holds the first part and the scripts, pagefind/2/, pagefind/3/ the rest."""
    oldest = site.advices[::-1]
    size = part_size(len(oldest))
    chunks = [oldest[at : at + size] for at in range(0, len(oldest), size)] or [()]
    return [
        (BUNDLE / str(number) if number > 1 else BUNDLE, chunk)
        for number, chunk in enumerate(chunks, start=1)
    ]


def part_urls(site: Site) -> list[str]:
    """The URLs of the parts the search page merges into the first one."""
    return [f"/{folder}/" for folder, _ in parts(site)[1:]]


WORD_EDGES = string.punctuation + "«»„“”‘’…—–‐−·•"

# The record every part of a split index holds (see `vocabulary`); the search page leaves it
# out of the results with the filter {"not": {"kind": "words"}}.
WORDS_URL = "/search/#words"


def part_words(
    advices: Iterable[Advice], language: str, text: Callable[[Advice], str] = content
) -> frozenset[str]:
    """The words of ADVICES as Pagefind reads them, one per stem (see `vocabulary`): the
    column's words are the union of its parts' words, so a part that did not change keeps
    its own from the last build."""
    words: set[str] = set()
    for advice in advices:
        words.update(text(advice).lower().split())
    # As Pagefind reads them: no case, no punctuation around a word (inside it, a hyphen or a
    # dot, stays).
    words = {word.strip(WORD_EDGES) for word in words} - {""}
    return frozenset(_one_per_stem(words, language))


def vocabulary(words: Iterable[frozenset[str]], language: str) -> InternalAddRecordRequest:
    """Every word of the column, once: a record each part of a split index holds.

    A word missing from an index makes Pagefind search its longest prefix that is there
    instead ("пекарням" finds "пекарен" through "пекар"). Parts lack different words, so
    each part would fall back on its own and bring in pages that only share a letter or two
    with the query. With every word in every part, each part resolves a query to the same
    word a single index would.

    Pagefind indexes and searches stems, so one word stands for each stem of the column (the
    stem itself when it stems to itself): a new form of a word the column has, the usual
    thing a new comment brings, leaves the record, and the parts, as they were. WORDS are
    the parts' own (`part_words`): the form chosen for a stem is the first in sorted order,
    so choosing again among the parts' choices gives what the whole column would.
    """
    every = _one_per_stem(frozenset().union(*words), language)
    return InternalAddRecordRequest(
        type="AddRecord",
        index_id=0,
        url=WORDS_URL,
        content=" ".join(sorted(every)),
        language=language,
        meta={"title": ""},
        filters={"kind": ["words"]},
        sort=None,
    )


@cache
def stemming(language: str) -> str | None:
    """Snowball's algorithm for the language, the one Pagefind stems with; None if it has
    none (then every word is kept). Called before the indexer's threads start: Babel takes a
    lock that a forked worker must not inherit held."""
    try:
        name = Locale.parse(language).english_name
    except (ValueError, UnknownLocaleError):
        return None
    name = (name or "").lower()
    return name if name in Stemmer.algorithms() else None


def _one_per_stem(words: Iterable[str], language: str) -> set[str]:
    algorithm = stemming(language)
    if algorithm is None:
        return set(words)
    stemmer = Stemmer.Stemmer(algorithm)  # one per call: a stemmer is not for two threads
    ordered = sorted(words)
    chosen: dict[str, str] = {}
    for word, stem in zip(ordered, stemmer.stemWords(ordered), strict=True):
        if stem not in chosen:
            chosen[stem] = word  # the first form in sorted order
    stable = dict(zip(chosen, stemmer.stemWords(list(chosen)), strict=True))
    return {stem if stable[stem] == stem else word for stem, word in chosen.items()}


class Part(NamedTuple):
    """A part of the index as a build left it, for the next build to keep."""

    printed: bytes  # what its files are made of (see Indexer._fingerprint)
    files: tuple[str, ...]
    advices: bytes  # what its advices are made of, the column's words left out
    words: frozenset[str]  # its advices' words (part_words), in a split index
    dates: tuple[str, ...] = ()  # its advices' dates as shown, in order


Parts = dict[str, Part]  # by the part's folder
Reuse = Callable[[list[PurePosixPath]], None]  # puts files of the last build's index in place


class _Texts:
    """Each advice's searchable text (`content`) in the first part that changed, read once
    for the two threads that want it at the same time: one makes its record, the other
    counts the part's words. The second takes it away."""

    def __init__(self, advices: Iterable[Advice]) -> None:
        self.wanted_twice = {id(advice) for advice in advices}
        self.made: dict[int, str] = {}

    def __call__(self, advice: Advice) -> str:
        key = id(advice)
        if key not in self.wanted_twice:
            return content(advice)
        text = self.made.pop(key, None)
        if text is None:
            text = self.made[key] = content(advice)
        else:
            self.wanted_twice.discard(key)
        return text


class _Vocabulary:
    """The column's words as the record each part of a split index ends with (`vocabulary`),
    counted while the first part that changed is already being indexed."""

    def __init__(self, split_index: bool) -> None:
        self.split_index = split_index
        self.words: dict[PurePosixPath, frozenset[str]] = {}  # each part's
        self.record: InternalAddRecordRequest | None = None
        self.ready = threading.Event()

    def count(self, words: dict[PurePosixPath, frozenset[str]], language: str) -> None:
        self.words = words
        self.record = vocabulary(words.values(), language)

    def records(self) -> Iterator[InternalAddRecordRequest]:
        """The record once it is counted; none in an index of one part."""
        self.ready.wait()
        if self.record is not None:
            yield self.record

    def printed(self, made: bytes) -> bytes:
        """What a part's files are made of: its advices and, in a split index, these words."""
        if self.record is None:
            return made
        return hashlib.blake2b(made + self.record["content"].encode(), digest_size=16).digest()


class Indexer:
    """Pagefind indexing a site's advices on processes of its own while the rest of the build
    goes on, fed by a thread.

    A part whose records are those of the last build (`kept`: each part's fingerprint and
    files) is not indexed again: its files are put in place by `reuse`. `made` is what the
    next build gets.

    Parts are indexed one at a time while the pages are rendered (the workers have the
    cores); once they are done (`finish`), the parts left are indexed `jobs` at a time. Each
    part's files go to the sink as soon as the part is done, so no part waits in memory.

    The build forks its workers while these threads run, and a worker inherits every lock as
    it was at that moment: a lock a thread held would never be released in the worker. So
    the threads take no lock a worker uses: whatever needs one (Babel's dates, finding the
    binary) is done before they start, and the only lock they take is the sink's, which
    workers never touch.
    """

    def __init__(
        self,
        site: Site,
        date: Callable[[When], str],
        executable: str,
        jobs: int,
        sink: Sink,
        kept: Parts | None = None,
        reuse: Reuse | None = None,
    ) -> None:
        self.settings = site.settings
        self.pagefind = _pagefind_version(executable)
        self.kept = kept or {}
        self.reuse = reuse
        self.made: Parts = {}
        self.executable = executable
        self.jobs = jobs
        self.sink = sink
        self.first: _Service | None = None  # started at once, so a failure shows at once
        self.running: set[_Service] = set()
        self.error: BaseException | None = None
        self.stopping = threading.Event()
        self.slots = threading.Semaphore(1)
        split = parts(site)
        made = {folder: self._fingerprint(advices) for folder, advices in split}
        kept_parts = {
            folder: last for folder in made if isinstance(last := self.kept.get(str(folder)), Part)
        }
        same = {folder for folder, last in kept_parts.items() if last.advices == made[folder]}
        dates = _dates(split, {folder: kept_parts[folder].dates for folder in same}, date)
        self.thread = threading.Thread(
            target=self._run,
            args=(site.settings.language, split, made, kept_parts, same, dates),
            daemon=True,
        )

    @classmethod
    def start(
        cls,
        site: Site,
        date: Callable[[When], str],
        jobs: int,
        sink: Sink,
        kept: Parts | None = None,
        reuse: Reuse | None = None,
    ) -> Indexer:
        """Start Pagefind on the first part; raises BuildFailed if it cannot start. The index
        files go to SINK (or REUSE) from the indexer's threads: they must take a lock of their
        own."""
        stemming(site.settings.language)
        executable = get_executable()
        try:
            if executable is None:
                raise SearchFailed("Pagefind's binary was not found; install sovet's dependencies")
            indexer = cls(site, date, str(executable), jobs, sink, kept, reuse)
            indexer.first = _Service.spawn(indexer.executable)
        except SearchFailed as error:
            raise _failure(site.settings, error) from None
        indexer.thread.start()
        return indexer

    def _run(
        self,
        language: str,
        split: list[tuple[PurePosixPath, tuple[Advice, ...]]],
        made: dict[PurePosixPath, bytes],
        kept: dict[PurePosixPath, Part],
        same: set[PurePosixPath],
        dates: dict[When, str],
    ) -> None:
        """Index the first part whose advices changed at once, count the column's words (each
        part of a split index ends with them) meanwhile, then index or keep the other parts:
        one comment starts Pagefind on its part before a word is counted."""
        first = next((part for part in split if part[0] not in same), None)
        words = _Vocabulary(split_index=len(split) > 1)
        text = _Texts(first[1]) if first and words.split_index else content
        indexing = [self._start(first, made, words, language, dates, text)] if first else []
        try:
            if words.split_index:
                mine = {folder: kept[folder].words for folder in same}
                words.count(
                    {
                        folder: mine.get(folder) or part_words(advices, language, text)
                        for folder, advices in split
                    },
                    language,
                )
        except BaseException as error:
            self.error = self.error or error
        finally:
            words.ready.set()
        for folder, advices in split:
            if (first is not None and folder == first[0]) or self.error is not None:
                continue
            last = kept.get(folder)
            if (
                self.reuse is not None
                and last is not None
                and last.printed == words.printed(made[folder])
            ):
                self.reuse([folder / name for name in last.files])
                self.made[str(folder)] = last
                continue
            indexing.append(self._start((folder, advices), made, words, language, dates, text))
        for indexer in indexing:
            if indexer is not None:
                indexer.join()

    def _start(
        self,
        part: tuple[PurePosixPath, tuple[Advice, ...]],
        made: dict[PurePosixPath, bytes],
        words: _Vocabulary,
        language: str,
        dates: dict[When, str],
        text: Callable[[Advice], str],
    ) -> threading.Thread | None:
        """Index a part on a Pagefind of its own once a slot is free (None: the build stopped)."""
        self.slots.acquire()
        if self.stopping.is_set() or self.error is not None:
            return None
        folder, advices = part
        records = itertools.chain(
            (record(advice, language, dates.__getitem__, text) for advice in advices),
            words.records(),
        )
        shown = tuple(dates[advice.when] for advice in advices)
        indexer = threading.Thread(
            target=self._part, args=(folder, records, made[folder], words, shown), daemon=True
        )
        indexer.start()
        return indexer

    def _fingerprint(self, advices: tuple[Advice, ...]) -> bytes:
        """What a part's advices are: their files (by digest) and dates, the settings, and
        the versions of Pagefind and of Babel (which shows the dates). A split index's parts
        add the column's words."""
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(repr((self.settings, self.pagefind, babel.__version__)).encode())
        for advice in advices:
            hasher.update(advice.digest + b"%d\0" % advice.when.date.toordinal())
        return hasher.digest()

    def _part(
        self,
        folder: PurePosixPath,
        records: Iterable[InternalAddRecordRequest],
        made: bytes,
        words: _Vocabulary,
        dates: tuple[str, ...],
    ) -> None:
        service = None
        try:
            service, self.first = self.first or _Service.spawn(self.executable), None
            self.running.add(service)
            files = _index(service, records, folder == BUNDLE)
            for name, data in files.items():
                self.sink(folder / name, data)
            mine = words.words.get(folder, frozenset())
            printed = words.printed(made)
            self.made[str(folder)] = Part(printed, tuple(sorted(files)), made, mine, dates)
        except BaseException as error:  # handed to the build's thread by finish()
            self.error = self.error or error
        finally:
            if service is not None:
                self.running.discard(service)
            self.slots.release()

    def finish(self) -> None:
        """Wait for the index under pagefind/ (every part, and the scripts) to be written."""
        for _ in range(self.jobs - 1):
            self.slots.release()  # the pages are done: their cores are Pagefind's now
        self.thread.join()
        if self.first is not None:  # every part was kept: the first Pagefind had nothing to do
            self.first.close()
            self.first = None
        if isinstance(self.error, SearchFailed):
            raise _failure(self.settings, self.error)
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        """Stop Pagefind early (the build failed)."""
        self.stopping.set()
        for service in [*self.running, *([self.first] if self.first else [])]:
            service.process.kill()  # a thread feeding it sees its pipes break and stops
        self.slots.release()
        self.thread.join()
        if self.first is not None:
            self.first.close()


def _dates(
    split: list[tuple[PurePosixPath, tuple[Advice, ...]]],
    kept: dict[PurePosixPath, tuple[str, ...]],
    date: Callable[[When], str],
) -> dict[When, str]:
    """Each advice's date as its record shows it: a part whose advices are unchanged has them
    from the last build (Babel formats a date in 25 µs, for every advice of the column), the
    others anew. Taken before the indexer's threads start: Babel takes a lock."""
    dates: dict[When, str] = {}
    for folder, advices in split:
        shown = kept.get(folder, ())
        if len(shown) != len(advices):
            shown = tuple(date(advice.when) for advice in advices)
        dates.update(zip((advice.when for advice in advices), shown, strict=True))
    return dates


def _index(
    service: _Service, records: Iterable[InternalAddRecordRequest], scripts: bool
) -> dict[str, bytes]:
    """One part: a new index, its records, and its files (the scripts only when asked)."""
    try:
        service.call(InternalNewIndexRequest(type="NewIndex", config={}))
        for _ in range(service.send(records)):
            service.receive()
        answer = service.call(InternalGetFilesRequest(type="GetFiles", index_id=0))
    finally:
        service.close()
    bundle = {item["path"]: base64.b64decode(item["content"]) for item in answer["files"]}
    return {name: data for name, data in stable(bundle).items() if wanted(name, scripts)}


@cache
def _pagefind_version(executable: str) -> str:
    """The binary's identity (a new Pagefind writes other files): its path, size and time."""
    try:
        info = os.stat(executable)
    except OSError:
        return executable
    return f"{executable}:{info.st_size}:{info.st_mtime_ns}"


def _failure(settings: Settings, error: SearchFailed) -> BuildFailed:
    line = settings.key_lines.get("search.enabled", settings.key_lines.get("search", 1))
    message = f"search index: {error} (or set [search] enabled = false)"
    return BuildFailed([Problem(settings.source, line, message)])


def wanted(name: str, scripts: bool = True) -> bool:
    """The files a search page loads; a part merged into the first needs no scripts."""
    return (scripts and name in _SCRIPTS) or name == _ENTRY or name.endswith(_DATA)


def stable(bundle: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with Pagefind's filter indexes in a stable order, renamed after their content.

    Pagefind writes the filters and their values in hash-map order, so two runs over the same
    pages differ in the filter files, the metadata that names them and the entry that names
    that. Sorted and renamed, the same pages give the same bundle, byte for byte.
    """
    try:
        return _stable(bundle)
    except (ValueError, KeyError, IndexError, TypeError, OSError):
        return bundle  # a format we do not know: a working index, only not a stable one


def _stable(bundle: dict[str, bytes]) -> dict[str, bytes]:
    out = dict(bundle)
    renamed: dict[str, str] = {}
    for name, data in bundle.items():
        if name.startswith("filter/") and name.endswith(".pf_filter"):
            key, values = _unpack(data)
            packed = _pack([key, sorted(values, key=lambda value: str(value[0]))])
            old = name[len("filter/") : -len(".pf_filter")]
            new = _rename(old, packed, 7)
            renamed[old] = new
            del out[name]
            out[f"filter/{new}.pf_filter"] = packed
    for name, data in bundle.items():
        if name.startswith("pagefind.") and name.endswith(".pf_meta"):
            meta = _unpack(data)
            meta[3] = sorted([key, renamed.get(old, old)] for key, old in meta[3])
            packed = _pack(meta)
            old = name[len("pagefind.") : -len(".pf_meta")]
            renamed[old] = _rename(old, packed, 10)
            del out[name]
            out[f"pagefind.{renamed[old]}.pf_meta"] = packed
    entry = json.loads(bundle[_ENTRY])
    for language in entry["languages"].values():
        language["hash"] = renamed.get(language["hash"], language["hash"])
    out[_ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out


def _rename(old: str, packed: bytes, length: int) -> str:
    """ru_3fa9c01 -> ru_<first hex digits of the new content's digest>."""
    language = old.rpartition("_")[0]
    return f"{language}_{hashlib.sha256(packed).hexdigest()[:length]}"


def _unpack(data: bytes) -> Any:
    raw = gzip.decompress(data)
    if not raw.startswith(_SIGNATURE):
        raise ValueError("not a Pagefind index file")
    value, end = _cbor_decode(raw, len(_SIGNATURE))
    if end != len(raw):
        raise ValueError("trailing bytes")
    return value


def _pack(value: Any) -> bytes:
    return gzip.compress(_SIGNATURE + _cbor_encode(value), mtime=0)


def _cbor_decode(data: bytes, at: int) -> tuple[Any, int]:
    """The CBOR subset Pagefind's indexes use: integers, strings, arrays and maps."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        number = info
    elif info <= 27:
        width = 1 << (info - 24)
        number = int.from_bytes(data[at : at + width], "big")
        at += width
    else:
        raise ValueError("indefinite lengths are not used by Pagefind")
    if major == 0:
        return number, at
    if major == 1:
        return -1 - number, at
    if major in (2, 3):
        chunk = data[at : at + number]
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), at + number
    if major == 4:
        items = []
        for _ in range(number):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(number):
            key, at = _cbor_decode(data, at)
            pairs[key], at = _cbor_decode(data, at)
        return pairs, at
    raise ValueError(f"CBOR major type {major} is not used by Pagefind")


def _cbor_encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError("CBOR simple values are not used by Pagefind")
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _cbor_head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor_encode(item) for item in value)
    if isinstance(value, dict):
        body = b"".join(_cbor_encode(k) + _cbor_encode(v) for k, v in value.items())
        return _cbor_head(5, len(value)) + body
    raise ValueError(f"cannot encode {type(value).__name__}")


def _cbor_head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * width):
            return bytes([major << 5 | info]) + number.to_bytes(width, "big")
    raise ValueError("integer too large for CBOR")


class _Service:
    """Pagefind's service protocol over the process's pipes."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.stdin: IO[bytes] = process.stdin
        self.stdout = cast(io.BufferedReader, process.stdout)
        self.process = process
        self.last_id = 0
        self.buffer = bytearray()
        self.scanned = 0  # the buffer holds no comma before this offset

    @classmethod
    def spawn(cls, executable: str) -> _Service:
        try:
            process = subprocess.Popen(
                [executable, "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            raise SearchFailed(f"Pagefind could not start: {error}") from None
        return cls(process)

    def call(self, payload: InternalRequestPayload) -> dict[str, Any]:
        self.send([payload])
        return self.receive()

    def send(self, payloads: Iterable[InternalRequestPayload]) -> int:
        """Write requests without waiting for their answers; Pagefind reads its input on a
        thread of its own and queues the answers, so neither side blocks the other."""
        count = 0
        try:
            for payload in payloads:
                self.stdin.write(self._encode(payload))
                count += 1
            self.stdin.flush()
        except OSError:
            raise SearchFailed(f"Pagefind stopped (exit code {self.process.poll()})") from None
        return count

    def receive(self) -> dict[str, Any]:
        raw = next(self._messages(), None)
        if raw is None:
            code = self.process.poll()
            raise SearchFailed(f"Pagefind stopped without an answer (exit code {code})")
        payload = cast(dict[str, Any], json.loads(base64.b64decode(raw))["payload"])
        if payload.get("type") == "Error":
            raise SearchFailed(f"Pagefind: {payload.get('message', 'unknown error')}")
        return payload

    def close(self) -> None:
        """Stop the process at once: an index is done once its files are read, and forked
        workers holding a copy of its input pipe would keep it from seeing the end of it."""
        with contextlib.suppress(OSError):
            self.stdin.close()
        self.process.kill()
        self.process.wait()
        with contextlib.suppress(OSError):
            self.stdout.close()

    def _encode(self, payload: InternalRequestPayload) -> bytes:
        self.last_id += 1
        message = {"message_id": self.last_id, "payload": payload}
        return base64.b64encode(json.dumps(message, ensure_ascii=False).encode("utf-8")) + b","

    def _messages(self) -> Iterator[bytes]:
        """The next comma-ended message from the process, buffered in large reads."""
        while True:
            end = self.buffer.find(b",", self.scanned)
            if end >= 0:
                message = bytes(self.buffer[:end])
                del self.buffer[: end + 1]
                self.scanned = 0
                yield message
                return
            self.scanned = len(self.buffer)
            chunk = self.stdout.read1(_CHUNK)
            if not chunk:
                return
            self.buffer += chunk
