"""Split a Markdown file into YAML front matter and body, keeping the line of every key.

Every problem is reported with the file's own line numbers, so the front matter is parsed
into YAML nodes (which carry marks) rather than straight into Python values.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..problems import Problems, bad_character
from . import yamlhints

MAX_BYTES = 5 * 1024 * 1024
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Value:
    """One front-matter value: its YAML node (raw text of scalars) and its line."""

    node: yaml.Node
    line: int

    def python(self) -> Any:
        """The value as YAML would construct it (dates, booleans, lists). A fresh constructor
        each time: PyYAML's remembers every node it has built."""
        return yaml.constructor.SafeConstructor().construct_object(self.node, deep=True)


@dataclass(frozen=True)
class Document:
    """A content file after splitting: keys with positions, and the Markdown body."""

    path: Path
    shown: str
    meta: dict[str, Value]
    body: str | None  # None once a worker rendered it (see AdviceFiles.drop_bodies)
    body_line: int
    digest: bytes  # of the file's bytes: what incremental builds compare
    blank: bool = False  # the body is empty or only spaces: nothing to publish


def read_text(
    path: Path, shown: str, problems: Problems, data: bytes | None = None
) -> tuple[str, bytes] | None:
    """The file's text and digest, or None with a problem for files we cannot or must not read.
    DATA: the file's bytes when the caller has read them already."""
    data = _read_bytes(path, shown, problems) if data is None else data
    if data is None:
        return None
    if len(data) > MAX_BYTES:
        problems.add(shown, 1, f"file is {len(data) / 1048576:.1f} MB; files over 5 MB are refused")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.add(shown, line, f"not UTF-8 ({guess_encoding(data)}); save it as UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (bad := bad_character(text, references=True)) is not None:
        offset, what = bad
        line = text.count("\n", 0, offset) + 1
        column = offset - text.rfind("\n", 0, offset)
        hint = " (is it a text file?)" if "\x00" in text else ""
        problems.add(shown, line, f"{what} at column {column} cannot be published; remove it{hint}")
        return None
    return text, hashlib.blake2b(data, digest_size=16).digest()


def _read_bytes(path: Path, shown: str, problems: Problems) -> bytes | None:
    """A regular file's bytes, at most MAX_BYTES of them.

    Opened without blocking and checked after opening, so a pipe or a device named like a
    content file can neither hang the build nor feed it endless data. Read on the bare
    descriptor, in reads sized by the file: a column has thousands of small files, and a
    buffered file object or a MAX_BYTES buffer would cost more than the reading.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        problems.add(shown, 1, f"cannot read the file: {error.strerror}")
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            problems.add(shown, 1, "not a regular file (a folder, pipe or device): remove it")
            return None
        data = os.read(fd, min(info.st_size, MAX_BYTES) + 1)  # the file as fstat saw it
        while len(data) <= MAX_BYTES and (
            more := os.read(fd, min(65536, MAX_BYTES + 1 - len(data)))
        ):
            data += more  # it grew meanwhile, or the system read less
    except OSError as error:
        problems.add(shown, 1, f"cannot read the file: {error.strerror}")
        return None
    finally:
        os.close(fd)
    if max(info.st_size, len(data)) > MAX_BYTES:
        size = max(info.st_size, len(data)) / 1048576
        problems.add(shown, 1, f"file is {size:.1f} MB; files over 5 MB are refused")
        return None
    return data


def guess_encoding(data: bytes) -> str:
    """Name the encoding a non-UTF-8 file most likely has, for a helpful message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it looks like UTF-16"
    best, score = "", -1
    for encoding, name in (("cp1251", "windows-1251"), ("koi8_r", "KOI8-R")):
        text = data.decode(encoding, errors="replace")
        points = sum(text.count(ch) for ch in "оеаинтсрвл")
        if points > score:
            best, score = name, points
    if score <= 0:
        return "it looks like latin-1 or a binary file"
    return f"it looks like {best}"


def split(path: Path, shown: str, problems: Problems, data: bytes | None = None) -> Document | None:
    """Read and split one file (or DATA, its bytes read already); on any mistake add a
    problem and return None."""
    read = read_text(path, shown, problems, data)
    if read is None:
        return None
    text, digest = read
    if not text.strip():
        problems.add(shown, 1, "empty file: expected front matter between '---' lines")
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.add(shown, 1, "missing front matter: the file must start with a '---' line")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.add(shown, 1, "front matter is never closed: add a '---' line after it")
        return None
    meta = _plain_lines(lines[1:end])
    if meta is None:
        meta = _parse_yaml("\n".join(lines[1:end]), shown, problems)
    if meta is None:
        return None
    body = "\n".join(lines[end + 1 :])
    return Document(path, shown, meta, body, end + 2, digest, not body or body.isspace())


# Front matter written as plain `key: value` lines, lists as `[a, b]` (nearly every file), is
# read without PyYAML's parser, whose resolver runs in Python even with the C loader. Anything
# else (quotes, comments, blank or continued lines, nesting, anchors, a repeated key) goes to
# PyYAML, which also words every mistake; both give the same nodes.
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:[ ]+(.*?))?[ ]*")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW = frozenset(",[]{}:#'\"")
_BREAKS = re.compile("[\t\x85\u2028\u2029\ufeff]")
_RESOLVER = yaml.resolver.Resolver()
_IMPLICIT = (True, False)


def _plain_lines(lines: list[str]) -> dict[str, Value] | None:
    """The front matter's keys if every line is a plain `key: value`, else None."""
    meta: dict[str, Value] = {}
    for number, line in enumerate(lines, start=2):
        match = _KEY_LINE.fullmatch(line)
        if match is None or match[1] in meta or _BREAKS.search(line):
            return None
        node = _node(match[2] or "")
        if node is None:
            return None
        meta[match[1]] = Value(node, number)
    return meta


def _node(text: str) -> yaml.Node | None:
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        items = [item.strip() for item in inner.split(",")] if inner else []
        if not all(_plain(item) and not _FLOW.intersection(item) for item in items):
            return None
        scalars = [_scalar(item) for item in items]
        return yaml.SequenceNode("tag:yaml.org,2002:seq", scalars, flow_style=True)
    if text and not _plain(text):
        return None
    return _scalar(text)


def _plain(text: str) -> bool:
    """Whether YAML reads the text as one plain scalar, conservatively."""
    return (
        bool(text)
        and (text[0] not in _INDICATORS and ": " not in text and " #" not in text)
        and not text.endswith(":")
    )


def _scalar(text: str) -> yaml.ScalarNode:
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, _IMPLICIT)  # type: ignore[no-untyped-call]
    return yaml.ScalarNode(tag, text)


def _parse_yaml(source: str, shown: str, problems: Problems) -> dict[str, Value] | None:
    """YAML mapping -> {key: Value}; line numbers shifted by the opening '---' line."""
    loader = _Loader(source)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        problems.add(shown, *yamlhints.explain(error, source.split("\n")))
        return None
    except yaml.YAMLError as error:
        problems.add(shown, 1, f"YAML error: {error}")
        return None
    except RecursionError:
        problems.add(shown, 2, "YAML error: the front matter is nested too deeply")
        return None
    finally:
        loader.dispose()
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        problems.add(shown, 2, "front matter must be a set of 'key: value' lines")
        return None
    meta: dict[str, Value] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 2
        if not isinstance(key_node, yaml.ScalarNode):
            problems.add(shown, line, "front matter keys must be plain words")
            continue
        key = str(key_node.value)
        if key in meta:
            problems.add(shown, line, f"'{key}' is set twice (first on line {meta[key].line})")
            continue
        meta[key] = Value(value_node, line)
        _dropped_comment(key, value_node, source, shown, problems)
    return meta


def _dropped_comment(
    key: str, node: yaml.Node, source: str, shown: str, problems: Problems
) -> None:
    """`title: Совет #12` is the title 'Совет' to YAML, the rest a comment: words lost
    without a word. A text value followed by ' #' on its line is a mistake."""
    if not (isinstance(node, yaml.ScalarNode) and not node.style and node.value):
        return
    if node.tag != "tag:yaml.org,2002:str" or node.start_mark.line != node.end_mark.line:
        return
    line = source.split("\n", node.end_mark.line + 1)[node.end_mark.line]
    rest = line[node.end_mark.column :]
    if rest.lstrip().startswith("#"):
        whole = f"{node.value} {rest.strip()}"
        message = (
            f"'{key}': the words from '#' on are read as a YAML comment and dropped; "
            f"put the whole value in quotes: {key}: {yamlhints.quoted(whole)}"
        )
        problems.add(shown, node.start_mark.line + 2, message)
