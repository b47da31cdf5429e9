"""Split a Markdown file into YAML front matter and body, keeping the line of every key.

Every problem is reported with the file's own line numbers, so the front matter is parsed
into YAML nodes (which carry marks) rather than straight into Python values.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..problems import Problems

MAX_BYTES = 5 * 1024 * 1024
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Value:
    """One front-matter value: its YAML node (raw text of scalars) and its line."""

    node: yaml.Node
    line: int
    loader: Any

    def python(self) -> Any:
        """The value as YAML would construct it (dates, booleans, lists)."""
        return self.loader.construct_object(self.node, deep=True)


@dataclass(frozen=True)
class Document:
    """A content file after splitting: keys with positions, and the Markdown body."""

    path: Path
    shown: str
    meta: dict[str, Value]
    body: str
    body_line: int
    digest: bytes  # of the file's bytes: what incremental builds compare


def read_text(path: Path, shown: str, problems: Problems) -> tuple[str, bytes] | None:
    """The file's text and digest, or None with a problem for files we cannot or must not read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.add(shown, 1, f"file is {size / 1048576:.1f} MB; files over 5 MB are refused")
            return None
        data = path.read_bytes()
    except OSError as error:
        problems.add(shown, 1, f"cannot read the file: {error.strerror}")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.add(shown, line, f"not UTF-8 ({_guess_encoding(data)}); save it as UTF-8")
        return None
    digest = hashlib.blake2b(data, digest_size=16).digest()
    return text.replace("\r\n", "\n").replace("\r", "\n"), digest


def _guess_encoding(data: bytes) -> str:
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


def split(path: Path, shown: str, problems: Problems) -> Document | None:
    """Read and split one file; on any mistake add a problem and return None."""
    read = read_text(path, shown, problems)
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
    meta = _parse_yaml("\n".join(lines[1:end]), shown, problems)
    if meta is None:
        return None
    body = "\n".join(lines[end + 1 :])
    return Document(path, shown, meta, body, end + 2, digest)


def _parse_yaml(source: str, shown: str, problems: Problems) -> dict[str, Value] | None:
    """YAML mapping -> {key: Value}; line numbers shifted by the opening '---' line."""
    loader = _Loader(source)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 1
        problems.add(shown, line, f"YAML error: {error.problem or error.context}")
        return None
    except yaml.YAMLError as error:
        problems.add(shown, 1, f"YAML error: {error}")
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
        meta[key] = Value(value_node, line, loader)
    return meta
