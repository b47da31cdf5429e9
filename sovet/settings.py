"""site.toml -> Settings: every option declared once, checked with its line.

tomllib gives no positions, so a small scan of the file maps each dotted key to its line;
every message then names the file, the line and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from .content.frontmatter import read_text
from .problems import Problems, bad_character, closest, did_you_mean, display_path

PERMALINK_FIELDS = ("slug", "year", "month", "day", "date")
NAME_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


@dataclass(frozen=True)
class Course:
    text: str
    form_action: str
    note: str


@dataclass(frozen=True)
class RubricSettings:
    key: str
    title: str
    signature: str
    about: str
    course: Course | None


@dataclass(frozen=True)
class Settings:
    """The site's settings, typed and frozen; defaults are those of the README."""

    root: Path
    source: str
    title: str
    columnist: str
    base_url: str
    description: str = ""
    language: str = "ru"
    timezone: str = "UTC"
    theme: str = "default"
    permalink: str = "/advice/{slug}/"
    per_page: int = 10
    typography: bool = True
    rubrics: tuple[RubricSettings, ...] = ()
    comments: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    subscribe: dict[str, Any] = field(default_factory=dict)
    feeds: dict[str, Any] = field(default_factory=dict)
    inbox: dict[str, Any] = field(default_factory=dict)
    letters: dict[str, Any] = field(default_factory=dict)
    deploy: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def takes_letters(self) -> bool:
        """Readers can send the column letters: the ask page is built."""
        return bool(self.letters.get("form_action") or self.letters.get("address"))


Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Option:
    """One option: its type, default, and an extra check returning a reason or None."""

    type: type | tuple[type, ...]
    default: Any = None
    required: bool = False
    check: Check | None = None


def _one_of(choices: tuple[str, ...]) -> Check:
    return lambda v: None if v in choices else f"must be one of: {', '.join(choices)}"


def _language(value: str) -> str | None:
    """Any language Babel knows; the theme must carry its catalogue (checked with the theme)."""
    try:
        Locale.parse(value)
    except (ValueError, UnknownLocaleError):
        return "is not a language code Babel knows, e.g. ru or en"
    return None


def _positive(value: int) -> str | None:
    return None if value > 0 else "must be a positive number"


def _not_negative(value: int) -> str | None:
    return None if value >= 0 else "must be zero or more"


def _url(value: str) -> str | None:
    ok = re.match(r"^https?://[^\s/]+(/\S*)?$", value)
    return None if ok else "must be an absolute http(s) URL, e.g. https://example.org/"


def _optional_url(value: str) -> str | None:
    return _url(value) if value else None


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "is not a known time zone; use a name like Europe/Moscow or UTC"
    return None


def _name(value: str) -> str | None:
    return None if NAME_RE.match(value) else "must be a plain folder name (a-z, 0-9, - and _)"


def _permalink(value: str) -> str | None:
    if not (value.startswith("/") and value.endswith("/")):
        return "must start and end with '/', e.g. /advice/{slug}/"
    if not re.search(r"{[^}]*}", value):
        return "must contain {slug} (or a date field) so that advices get their own addresses"
    for name in re.findall(r"{([^}]*)}", value):
        if name not in PERMALINK_FIELDS:
            fields = ", ".join("{" + f + "}" for f in PERMALINK_FIELDS)
            return f"has an unknown field {{{name}}}; known fields: {fields}"
    rest = re.sub(r"{[^}]*}", "x", value)
    if not re.match(r"^/(?:[A-Za-z0-9_-]+/)+$", rest):
        return "may contain only letters, digits, '-', '_' and '/' besides its fields"
    return None


def _share(value: float) -> str | None:
    return None if 0 <= value <= 1 else "must be a share from 0 to 1, e.g. 0.5 for half"


def _branch(value: str) -> str | None:
    ok = re.match(r"^[A-Za-z0-9._/-]+$", value) and not value.startswith(("-", "/"))
    return None if ok else "must be a branch name, e.g. gh-pages"


def _placeholders(*known: str) -> Check:
    """Text with {name} fields: only the known ones, so a typo is told at once, not when a
    letter is answered."""

    def check(value: str) -> str | None:
        for name in re.findall(r"{([^{}]*)}", value.replace("{{", "").replace("}}", "")):
            if name not in known:
                fields = ", ".join("{" + k + "}" for k in known)
                return f"has an unknown field {{{name}}}; known fields: {fields}"
        try:
            value.format(**dict.fromkeys(known, ""))
        except (ValueError, IndexError):
            return "has an unpaired '{' or '}': write {{ or }} for a brace itself"
        return None

    return check


def _address(value: str) -> str | None:
    ok = not value or re.match(r"^[^\s@<>,;:\"]+@[^\s@<>,;:\"]+\.[^\s@<>,;:\"]+$", value)
    return None if ok else "must be one email address, e.g. letters@example.org"


def _tag(value: str) -> str | None:
    ok = not value or re.match(r"^[^\[\]\s](?:[^\[\]]*[^\[\]\s])?$", value)
    return None if ok else "must be a word or two without square brackets, e.g. вопрос"


def _string_table(value: dict[str, Any]) -> str | None:
    ok = all(isinstance(v, str) for v in value.values())
    return None if ok else "must map names to text values"


TOP: dict[str, Option] = {
    "title": Option(str, required=True),
    "description": Option(str, ""),
    "base_url": Option(str, required=True, check=_url),
    "language": Option(str, "ru", check=_language),
    "timezone": Option(str, "UTC", check=_timezone),
    "columnist": Option(str, required=True),
    "theme": Option(str, "default", check=_name),
    "permalink": Option(str, "/advice/{slug}/", check=_permalink),
    "per_page": Option(int, 10, check=_positive),
    "typography": Option(bool, True),
}
TABLES: dict[str, dict[str, Option]] = {
    "comments": {
        "policy": Option(str, ""),
        "recent": Option(int, 5, check=_not_negative),
        "form_action": Option(str, "", check=_optional_url),
        "email": Option(str, ""),
    },
    "search": {"enabled": Option(bool, True)},
    "subscribe": {
        "list_name": Option(str, ""),
        "form_action": Option(str, "", check=_optional_url),
        "email_field": Option(str, "email"),
        "hidden_fields": Option(dict, {}, check=_string_table),
        "unsubscribe_url": Option(str, ""),
    },
    "feeds": {
        "items": Option(int, 20, check=_positive),
        "full_content": Option(bool, True),
    },
    "inbox": {
        "dir": Option(str, "inbox", check=_name),
        "max_links": Option(int, 3, check=_not_negative),
        "fields": Option(dict, {}, check=_string_table),
    },
    "letters": {
        "form_action": Option(str, "", check=_optional_url),
        "address": Option(str, "", check=_address),
        "tag": Option(str, "", check=_tag),
        "about": Option(str, ""),
        "greeting": Option(str, "{name}!", check=_placeholders("name")),
        "tell": Option(str, "", check=_placeholders("name", "title", "url", "column")),
    },
    "deploy": {
        "target": Option(str, ""),
        "repository": Option(str, ""),
        "branch": Option(str, "gh-pages", check=_branch),
        "max_delete": Option((int, float), 0.5, check=_share),
    },
}
RUBRIC: dict[str, Option] = {
    "title": Option(str, required=True),
    "signature": Option(str, ""),
    "about": Option(str, ""),
}
COURSE: dict[str, Option] = {
    "text": Option(str, required=True),
    "form_action": Option(str, "", check=_optional_url),
    "note": Option(str, ""),
}


def load_settings(root: Path, problems: Problems, base_url: str | None = None) -> Settings | None:
    """Read and check ROOT/site.toml; None (with problems added) when it is unusable."""
    path = root / "site.toml"
    shown = display_path(path, root)
    if not (path.exists() or path.is_symlink()):
        problems.add(shown, 1, "no site.toml here: is --site pointing at the site's folder?")
        return None
    read = read_text(path, shown, problems)  # the checks of content files: size, encoding
    if read is None:
        return None
    text = read[0]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        problems.add(shown, int(match.group(1)) if match else 1, f"TOML error: {error}")
        return None
    reader = _Reader(shown, key_lines(text), problems)
    values = reader.table(data, TOP, "", extra=("rubrics", *TABLES))
    tables = {name: reader.table(data.get(name, {}), spec, name) for name, spec in TABLES.items()}
    rubrics = reader.rubrics(data.get("rubrics", {}))
    if base_url is not None:
        if reason := _url(base_url):
            problems.add("--base-url", 1, f"--base-url {reason}")
        else:
            values["base_url"] = base_url
    if reader.failed:
        return None
    values["base_url"] = values["base_url"].rstrip("/") + "/"
    return Settings(
        root=root,
        source=shown,
        rubrics=rubrics,
        key_lines=reader.lines,
        comments=tables["comments"],
        search=tables["search"],
        subscribe=tables["subscribe"],
        feeds=tables["feeds"],
        inbox=tables["inbox"],
        letters=tables["letters"],
        deploy=tables["deploy"],
        **values,
    )


class _Reader:
    """Checks tables of options against their declarations and records failures."""

    def __init__(self, shown: str, lines: dict[str, int], problems: Problems) -> None:
        self.shown, self.lines, self.problems = shown, lines, problems
        self.failed = False

    def error(self, dotted: str, message: str) -> None:
        line = self.lines.get(dotted) or self.lines.get(dotted.rpartition(".")[0], 1)
        self.problems.add(self.shown, line, message)
        self.failed = True

    def table(
        self, data: Any, spec: dict[str, Option], prefix: str, extra: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        where = f"[{prefix}]" if prefix else "site.toml"
        if not isinstance(data, dict):
            self.error(prefix, f"'{prefix}' must be a table ([{prefix}])")
            return {k: o.default for k, o in spec.items()}
        values: dict[str, Any] = {}
        misspelt: set[str] = set()  # keys an unknown key was probably meant to be
        for key, value in data.items():
            dotted = f"{prefix}.{key}" if prefix else key
            option = spec.get(key)
            if key in extra:
                continue
            if option is None:
                misspelt.add(closest(key, [*spec, *extra]) or "")
                hint = did_you_mean(key, [*spec, *extra])
                self.error(dotted, f"unknown key '{dotted}' in {where}{hint}")
                continue
            if not _has_type(value, option.type):
                self.error(dotted, f"'{dotted}' must be {_type_name(option.type)}")
                continue
            if reason := _bad_text(value, option.required):
                self.error(dotted, f"'{dotted}' {reason}")
                continue
            reason = option.check(value) if option.check else None
            if reason:
                self.error(dotted, f"'{dotted}' {reason}")
                continue
            values[key] = value
        for key, option in spec.items():
            if key in values or key in data:
                continue
            if option.required:
                dotted = f"{prefix}.{key}" if prefix else key
                if key not in misspelt:  # else the did-you-mean has said it
                    self.error(prefix, f"missing required key '{dotted}' in {where}")
            else:
                values[key] = option.default
        return values

    def rubrics(self, data: Any) -> tuple[RubricSettings, ...]:
        if not isinstance(data, dict):
            self.error("rubrics", "'rubrics' must be tables like [rubrics.name]")
            return ()
        found = []
        for key, table in data.items():
            prefix = f"rubrics.{key}"
            if not NAME_RE.match(key):
                self.error(prefix, f"rubric key '{key}' {_name(key)}")
                continue
            values = self.table(table, RUBRIC, prefix, extra=("course",))
            course = None
            if isinstance(table, dict) and "course" in table:
                fields = self.table(table["course"], COURSE, f"{prefix}.course")
                if "text" in fields:
                    course = Course(**fields)
            if "title" in values:
                found.append(RubricSettings(key=key, course=course, **values))
        return tuple(found)


def _bad_text(value: Any, required: bool) -> str | None:
    """Text no page or feed could carry (a control character from an escape), or empty text
    where the site needs some."""
    texts = value.values() if isinstance(value, dict) else [value]
    for text in texts:
        if isinstance(text, str) and (bad := bad_character(text)) is not None:
            return f"contains {bad[1]}; remove it"
    if required and isinstance(value, str) and not value.strip():
        return "must not be empty"
    return None


def _has_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool) and expected is not bool:
        return False
    return isinstance(value, expected)


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "text in quotes", int: "a whole number", bool: "true or false", dict: "a table"}
    if expected == (int, float):
        return "a number"
    return names.get(expected, "of another type") if isinstance(expected, type) else "valid"


_HEADER_RE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(?:#.*)?$")
_KEY_RE = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*")(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"))*)\s*="""
)


def key_lines(text: str) -> dict[str, int]:
    """Map each dotted key and table header of a TOML file to its 1-based line."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.split("\n"), start=1):
        if header := _HEADER_RE.match(line):
            table = _dotted(header.group(1))
            lines.setdefault(table, number)
        elif key := _KEY_RE.match(line):
            name = _dotted(key.group(1))
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _dotted(raw: str) -> str:
    return ".".join(part.strip().strip('"') for part in raw.split("."))
