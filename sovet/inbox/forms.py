"""Form-service exports (CSV and JSON) -> submissions.

A form service stores what the comment form posts under the form's field names (slug,
reply_to, author, email, body, the honeypot `website` and the form time `built`) plus its own
timestamp; `[inbox] fields` maps another service's names to ours. The ask form posts
`letter`, `signature`, `email`, `rubric` and `consent` (and the same two traps): a record
with a letter is a letter.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from ..letters.signs import NO_MAIL, Signs, agrees
from .submission import LETTER, Incoming, Submission
from .text import clean_body, clean_name, decode_bytes

FORM_FIELDS = (
    *("slug", "reply_to", "author", "email", "body", "website", "built", "date"),
    *("letter", "signature", "rubric", "consent"),
)
DATE_NAMES = (
    "date",
    "created_at",
    "created",
    "submitted_at",
    "submitted",
    "submission_date",
    "timestamp",
    "time",
    "datetime",
    "received_at",
    "отметка_времени",  # Google Forms in Russian
    "дата_и_время",
    "время_отправки",
    "дата",
    "время",
)
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)


_DELIMITERS = (",", ";", "\t")


class FormatError(Exception):
    """The whole file is unreadable as this format; the message says why, with its line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Record:
    """One row or object of an export, with its values under the service's own names."""

    values: dict[str, str]
    line: int
    where: str  # "line 3", "record 2": for the inbox file's `source`


def read_csv(data: bytes) -> list[Record]:
    """Rows of a CSV export with a header line, read as every spreadsheet and form service
    writes CSV (RFC 4180: a quote inside a quoted field is doubled, fields may span lines);
    only the delimiter (',', ';' or tab) differs between them, and the header tells it."""
    text = decode_bytes(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise FormatError(1, "empty file: expected a header line naming the fields")
        names = [name.strip().lstrip("\ufeff") for name in header]
        records = []
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                values = dict(zip(names, row, strict=False))
                records.append(Record(values, start, f"line {start}"))
            start = reader.line_num + 1
    except csv.Error as error:
        raise FormatError(reader.line_num or 1, f"not CSV: {error}") from None
    return records


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most fields (a comma when none does).

    Only the header is looked at: a sniffer that guesses from the rows is misled by the
    commas, quotes and line breaks of readers' text, and then cuts it."""
    best, most = ",", 1
    for delimiter in _DELIMITERS:
        try:
            fields = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        if len(fields) > most:
            best, most = delimiter, len(fields)
    return best


def read_json(data: bytes) -> list[Record]:
    """Objects of a JSON export: a list, an object holding one, one object, or JSON lines."""
    text = decode_bytes(data)
    try:
        parsed: Any = json.loads(text)
    except json.JSONDecodeError as error:
        lines = [line for line in text.split("\n") if line.strip()]
        try:
            parsed = [json.loads(line) for line in lines]
        except json.JSONDecodeError:
            raise FormatError(error.lineno, f"not JSON: {error.msg}") from None
    items = _records_in(parsed)
    if items is None:
        raise FormatError(1, "no submissions found: expected a list of objects")
    return [Record(_flat(item), 1, f"record {n}") for n, item in enumerate(items, start=1)]


def _records_in(parsed: Any) -> list[dict[str, Any]] | None:
    if isinstance(parsed, list):
        return [item for item in parsed if isinstance(item, dict)]
    if isinstance(parsed, dict):
        for value in parsed.values():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                return list(value)
        return [parsed]
    return None


def _flat(item: dict[str, Any]) -> dict[str, str]:
    """Scalars of the object, then those of objects nested one level (a service's `data`)."""
    flat = {str(k): _scalar(v) for k, v in item.items() if not isinstance(v, dict)}
    for value in item.values():
        if isinstance(value, dict):
            for key, inner in value.items():
                if not isinstance(inner, dict):
                    flat.setdefault(str(key), _scalar(inner))
    return flat


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_scalar(v) for v in value)
    return str(value)


def incoming(
    record: Record,
    mapping: Mapping[str, str],
    zone: ZoneInfo,
    now: dt.datetime,
    source: str,
    signs: Signs = NO_MAIL,
) -> Incoming | str:
    """A record as a submission with its trap fields, or why it cannot be one."""
    ours = _ours(record.values, mapping)
    letter = clean_body(ours.get("letter", ""))
    body = letter or clean_body(ours.get("body", ""))
    if not body:
        return _no_text(record, ours)
    warnings = []
    raw_date = ours.get("date", "").strip()
    when = parse_moment(raw_date, zone) if raw_date else None
    if when is None:
        when = now.astimezone(zone)
        if raw_date:
            warnings.append(f"unreadable date '{raw_date}'; the import's time is used")
    submission = Submission(
        slug=ours.get("slug", "").strip().lower(),
        reply_to=ours.get("reply_to", "").strip().lower(),
        author=clean_name(ours.get("author", "")),
        email=clean_name(ours.get("email", "")),
        date=when,
        body=body,
        source=source,
    )
    if letter:
        submission, consent = _as_letter(submission, ours, signs, warnings)
    return Incoming(
        submission,
        honeypot=ours.get("website", ""),
        form_time=ours.get("built"),
        warnings=warnings,
        consent=consent if letter else None,
    )


def _no_text(record: Record, ours: Mapping[str, str]) -> str:
    """Why a record has no text, and how to map the field that most likely holds it."""
    if "body" in ours or "letter" in ours:
        return "no comment or letter text: the record's 'body' and 'letter' are empty"
    names = [name for name in record.values if name.strip()]
    longest = max(names, key=lambda n: len(record.values[n]), default="")
    hint = (
        f', e.g. fields = {{ "{longest}" = "letter" }} (or "body" for comments)' if longest else ""
    )
    shown = ", ".join(f"'{n}'" for n in names[:8]) + (", ..." if len(names) > 8 else "")
    return (
        f"no comment or letter text: no field is 'body' or 'letter' (the fields are {shown}); "
        f"map one in [inbox] fields{hint}"
    )


def _as_letter(
    submission: Submission, ours: Mapping[str, str], signs: Signs, warnings: list[str]
) -> tuple[Submission, bool]:
    """A record of the ask form as a letter, and whether the reader agreed to publication."""
    chosen = ours.get("rubric", "").strip()
    rubric = signs.rubric(chosen) if chosen else ""
    if rubric is None:
        warnings.append(f"no rubric '{chosen}' in site.toml: the letter waits without one")
    letter = replace(
        submission,
        kind=LETTER,
        slug="",
        reply_to="",
        author=clean_name(ours.get("signature", "")) or submission.author,
        rubric=rubric or "",
    )
    return letter, agrees(ours.get("consent", ""))


def _ours(values: Mapping[str, str], mapping: Mapping[str, str]) -> dict[str, str]:
    """Values under our field names: mapped names first, then ours by any case, then the
    usual names of a service's timestamp."""
    lowered = {k.casefold(): k for k in mapping}
    ours: dict[str, str] = {}
    for name, value in values.items():
        target = mapping.get(name) or mapping.get(lowered.get(name.casefold(), ""))
        key = target or name.strip().casefold()
        if key in FORM_FIELDS and key not in ours:
            ours[key] = value
    if "date" not in ours:
        by_name = {_normal(name): value for name, value in values.items()}
        found = next((by_name[n] for n in DATE_NAMES if n in by_name), None)
        if found is not None:
            ours["date"] = found
    return ours


def _normal(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().casefold())


def parse_moment(value: str, zone: ZoneInfo) -> dt.datetime | None:
    """A moment as services write it: ISO 8601, Unix seconds or milliseconds, day.month.year,
    month/day/year, RFC 2822. A moment without an offset is in the site's time zone."""
    value = value.strip()
    if not value:
        return None
    when: dt.datetime | None = None
    if re.fullmatch(r"\d{9,13}(?:\.\d+)?", value):
        seconds = float(value)
        seconds = seconds / 1000 if seconds > 1e11 else seconds
        return dt.datetime.fromtimestamp(seconds, dt.UTC).astimezone(zone)
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        when = next(_strptime(value), None)
    if when is None:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        return when.replace(tzinfo=zone)
    return when.astimezone(zone)


def _strptime(value: str) -> Iterator[dt.datetime]:
    for pattern in _DATE_FORMATS:
        try:
            yield dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
