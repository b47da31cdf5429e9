"""The key tables of question, answer, comment and page files, and their checking.

The tables are data: adding a key is one line here, and every key is checked the same way
(required, type, allowed values, unknown keys with a did-you-mean).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

import yaml

from ..problems import Problems, bad_character, closest, did_you_mean
from .frontmatter import Document, Value

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Kind(Enum):
    TEXT = "text"
    DATE = "a date like 2015-02-27 or 2015-02-27 10:30"
    BOOL = "true or false"
    TEXT_LIST = "a list like [one, two]"
    ID = "lowercase letters, digits and hyphens"
    ID_LIST = "a list of slugs like [one, two]"
    INT = "a whole number"
    ROLE = "reader, asker or columnist"
    ALIASES = "a list of old addresses like [/2015/02/old-slug/, /?p=123]"
    ANCHORS = "a list of old anchors like ['#comment-123']"


@dataclass(frozen=True)
class Field:
    kind: Kind
    required: bool = False


Schema = dict[str, Field]

QUESTION: Schema = {
    "title": Field(Kind.TEXT, required=True),
    "author": Field(Kind.TEXT, required=True),
    "date": Field(Kind.DATE),
    "tags": Field(Kind.TEXT_LIST),
    "rubric": Field(Kind.TEXT),
    "related": Field(Kind.ID_LIST),
    "description": Field(Kind.TEXT),
    "aliases": Field(Kind.ALIASES),
    "letter": Field(Kind.ID),  # the inbox id of the reader's letter it answers
}
ANSWER: Schema = {
    "date": Field(Kind.DATE, required=True),
    "author": Field(Kind.TEXT),
    "draft": Field(Kind.BOOL),
    "updated": Field(Kind.DATE),
}
COMMENT: Schema = {
    "author": Field(Kind.TEXT, required=True),
    "date": Field(Kind.DATE, required=True),
    "reply_to": Field(Kind.ID),
    "hidden": Field(Kind.BOOL),
    "role": Field(Kind.ROLE),
    "aliases": Field(Kind.ANCHORS),
}
ROLES = ("reader", "asker", "columnist")
PAGE: Schema = {
    "title": Field(Kind.TEXT, required=True),
    "description": Field(Kind.TEXT),
    "menu": Field(Kind.INT),
    "draft": Field(Kind.BOOL),
    "aliases": Field(Kind.ALIASES),
}

# Dates outside these years are typos, and the calendar arithmetic of weeks and time zones
# would overflow near the ends of Python's range.
YEARS = range(1900, 3000)
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
# The way nearly every file writes it; read without strptime, which is slow.
_PLAIN_MOMENT = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d)?")

Checked = dict[str, Any]


def check(doc: Document, schema: Schema, problems: Problems) -> tuple[Checked, dict[str, int]]:
    """Typed values of the keys that passed, and the line of every key present."""
    values: Checked = {}
    lines = {key: value.line for key, value in doc.meta.items()}
    misspelt: set[str] = set()  # keys an unknown key was probably meant to be
    for key, value in doc.meta.items():
        spec = schema.get(key)
        if spec is None:
            known = ", ".join(schema)
            hint = did_you_mean(key, schema)
            misspelt.add(closest(key, schema) or "")
            problems.add(doc.shown, value.line, f"unknown key '{key}'{hint}; known keys: {known}")
            continue
        try:
            converted = _convert(value, spec.kind)
        except ValueError as error:
            problems.add(doc.shown, value.line, f"'{key}': {error}")
            continue
        if converted is None and spec.required:
            problems.add(doc.shown, value.line, f"'{key}' is required and must not be empty")
        elif converted is not None:
            values[key] = converted
    for key, spec in schema.items():
        if spec.required and key not in doc.meta and key not in misspelt:
            problems.add(doc.shown, 1, f"missing required key '{key}' ({spec.kind.value})")
    return values, lines


def _convert(value: Value, kind: Kind) -> Any:
    """One value to its Python type; ValueError with a user-facing reason otherwise.

    Empty text counts as absent, so a required key set to '' is reported as missing.
    """
    node = value.node
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        return None
    if kind is Kind.TEXT:
        return _text(node) or None
    if kind is Kind.ID:
        return _identifier(_text(node))
    if kind is Kind.ROLE:
        role = _text(node)
        if role not in ROLES:
            hint = did_you_mean(role, ROLES)
            raise ValueError(f"expected {kind.value}, got '{role}'{hint}")
        return role
    if kind in (Kind.ALIASES, Kind.ANCHORS):
        if not isinstance(node, yaml.SequenceNode):
            raise ValueError(f"expected {kind.value}, got {_describe(node)}")
        check = _alias if kind is Kind.ALIASES else _anchor
        return [check(_text(item)) for item in node.value]
    if kind in (Kind.TEXT_LIST, Kind.ID_LIST):
        if isinstance(node, yaml.ScalarNode):
            items = [item.strip() for item in str(node.value).split(",") if item.strip()]
            raise ValueError(
                f"expected {kind.value}, got {_describe(node)}: "
                f"write it in brackets, [{', '.join(items)}]"
            )
        if not isinstance(node, yaml.SequenceNode):
            raise ValueError(f"expected {kind.value}, got {_describe(node)}")
        items = [_text(item) for item in node.value]
        if kind is Kind.ID_LIST:
            return [_identifier(item) for item in items]
        return [item for item in items if item]
    if not isinstance(node, yaml.ScalarNode):
        raise ValueError(f"expected {kind.value}, got {_describe(node)}")
    try:
        data = value.python()
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        reason = getattr(error, "problem", None) or str(error)  # without YAML's own position
        raise ValueError(f"expected {kind.value}, got '{node.value}' ({reason})") from None
    if kind is Kind.BOOL:
        if not isinstance(data, bool):
            raise ValueError(f"expected {kind.value}, got {_describe(node)}")
        return data
    if kind is Kind.INT:
        if isinstance(data, bool) or not isinstance(data, int):
            raise ValueError(f"expected {kind.value}, got {_describe(node)}")
        return data
    return _date(data, node)


def _text(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise ValueError(f"expected text, got {_describe(node)}")
    text = str(node.value).strip()
    if (bad := bad_character(text)) is not None:
        raise ValueError(f"contains {bad[1]} (written as an escape?); remove it")
    return text


_ALIAS = re.compile(r"^/(?!/)[^\s#]*$")
_ANCHOR = re.compile(r"^#[A-Za-z][\w:.-]*$")


def _alias(text: str) -> str:
    """An old address of this page on the site: a path, with a query if it had one."""
    if not _ALIAS.match(text):
        raise ValueError(
            f"alias '{text}' must be a path on this site, like /2015/02/old-slug/ or /?p=123 "
            "(no host, no spaces, no #anchor)"
        )
    return text


def _anchor(text: str) -> str:
    """An old anchor of a comment on its page, like #comment-123."""
    if not _ANCHOR.match(text):
        raise ValueError(f"alias '{text}' must be an anchor like '#comment-123' (in quotes)")
    return text


def _identifier(text: str) -> str:
    if not ID_RE.match(text):
        hint = f" (did you mean '{text.lower()}'?)" if ID_RE.match(text.lower()) else ""
        raise ValueError(f"'{text}' is not a valid id{hint}: use {Kind.ID.value}")
    return text


def _date(data: Any, node: yaml.Node) -> dt.date | dt.datetime:
    found: dt.date | dt.datetime | None = None
    if isinstance(data, dt.date):  # datetime included
        found = data.replace(microsecond=0) if isinstance(data, dt.datetime) else data
    elif isinstance(data, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", data.strip()):
        with contextlib.suppress(ValueError):
            found = dt.date.fromisoformat(data.strip())  # a date in quotes is still a date
    elif isinstance(data, str) and _PLAIN_MOMENT.fullmatch(data.strip()):
        with contextlib.suppress(ValueError):
            found = dt.datetime.fromisoformat(data.strip())
    elif isinstance(data, str):
        for fmt in DATE_FORMATS:
            try:
                found = dt.datetime.strptime(data.strip(), fmt)
                break
            except ValueError:
                continue
    if found is None:
        raise ValueError(f"expected {Kind.DATE.value}, got {_describe(node)}")
    if found.year not in YEARS:
        first, last = YEARS[0], YEARS[-1]
        raise ValueError(f"year {found.year} is out of range: expected {first} to {last}")
    return found


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a set of keys"
    return f"'{node.value}'"
