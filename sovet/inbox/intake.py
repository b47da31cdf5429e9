"""`inbox import FILE...`: every submission of every file becomes a pending inbox file.

A submission whose id is already in the inbox (pending, rejected or accepted) is a copy and
adds nothing, so an export imported twice, or a form sent twice, lands once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..content.frontmatter import split
from ..content.schema import ID_RE
from ..letters.signs import Signs
from ..problems import Problem, Problems, closest
from ..safe_files import UnsafePath, read_regular
from ..settings import Settings
from . import forms, mail, spam
from .store import ACCEPTED, PENDING, REJECTED, Entry, Inbox
from .submission import Incoming, Submission
from .text import words

EMAIL_SUFFIXES = (".eml", ".mbox", ".mbx", ".mbs", ".mail")
MAX_BODY = 50_000  # characters; a longer "comment" is reported, not stored


@dataclass
class FileResult:
    shown: str
    added: list[Entry] = field(default_factory=list)
    copies: Counter[str] = field(default_factory=Counter)  # state -> how many were there


@dataclass
class ImportResult:
    files: list[FileResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # submissions that were not stored
    warnings: list[Problem] = field(default_factory=list)  # stored, with something to know


def import_files(
    settings: Settings, paths: list[Path], now: dt.datetime | None = None
) -> ImportResult:
    inbox = Inbox(settings)
    now = now or dt.datetime.now(settings.zone)
    advices = advice_titles(settings)
    rejected = {e.submission.text_key for e in inbox.entries(REJECTED, Problems())}
    askers = asker_addresses(inbox)
    badges: dict[str, frozenset[str]] = {}  # by advice: the names that earn a badge
    signs = Signs.of(settings)
    result = ImportResult()
    for path in paths:
        shown = str(path)
        done = FileResult(shown)
        result.files.append(done)
        for line, found in _read(path, advices, settings, now, signs):
            if isinstance(found, str):
                result.problems.append(Problem(shown, line, found))
                continue
            result.warnings.extend(Problem(shown, line, w) for w in found.warnings)
            submission = found.submission
            if len(submission.body) > MAX_BODY:
                what = "letter" if submission.is_letter else "comment"
                message = f"{what} text is {len(submission.body)} characters; over {MAX_BODY}"
                result.problems.append(Problem(shown, line, message + ", not imported"))
                continue
            state = inbox.state_of(submission.id)
            if state is not None:
                done.copies[state] += 1
                continue
            if submission.is_letter:
                names: frozenset[str] = frozenset()
            else:
                if submission.slug not in advices:
                    result.warnings.append(Problem(shown, line, _no_advice(submission, advices)))
                if submission.slug not in badges:
                    badges[submission.slug] = badge_names(settings, submission.slug)
                names = badges[submission.slug]
            flags = spam.flags(found, settings.inbox["max_links"], rejected, settings.zone, names)
            if submission.is_letter and not found.consent:
                flags = (*flags, "consent")
            asker = askers.get(submission.slug)
            if not submission.is_letter and asker and submission.email.casefold() == asker:
                flags = (*(f for f in flags if f != "name"), "asker")
            done.added.append(inbox.write(replace(submission, flags=flags), PENDING))
    return result


def _read(
    path: Path,
    advices: dict[str, str],
    settings: Settings,
    now: dt.datetime,
    signs: Signs,
) -> Iterator[tuple[int, Incoming | str]]:
    """(line, submission or why not) for every record or message of one file."""
    data = None
    if not path.is_dir():
        try:  # a file the user named, a link to one included; never a pipe or a device
            data = read_regular(path.resolve(), mail.MAX_MAILBOX)
        except OSError as error:
            reason = error.reason if isinstance(error, UnsafePath) else error.strerror
            yield 1, f"cannot read the file: {reason}"
            return
        if len(data) > mail.MAX_MAILBOX:
            yield 1, "the file is over 1 GB: split it"
            return
    kind = _kind(path, data)
    zone = settings.zone
    if kind in ("csv", "json"):
        assert data is not None
        try:
            records = forms.read_csv(data) if kind == "csv" else forms.read_json(data)
        except forms.FormatError as error:
            yield error.line, str(error)
            return
        if not records:
            yield 1, "no submissions in the file"
        for record in records:
            source = f"form: {path.name}, {record.where}"
            fields = settings.inbox["fields"]
            yield record.line, forms.incoming(record, fields, zone, now, source, signs)
        return
    if kind == "":
        yield 1, "not a form export or email: name it .csv, .json, .eml or .mbox"
        return
    try:
        messages = list(mail.messages_in(path, data))
    except (OSError, ValueError) as error:
        yield 1, f"cannot read the mailbox: {error}"
        return
    for where, message in messages:
        source = f"email: {path.name}" + (f", {where}" if where else "")
        try:
            yield 1, mail.incoming(message, advices, zone, now, source, signs)
        except (LookupError, ValueError, TypeError, AttributeError, IndexError) as error:
            yield 1, f"{where or 'the message'}: cannot read it ({error}); not imported"


def _kind(path: Path, data: bytes | None) -> str:
    if data is None:
        return "email" if (path / "cur").is_dir() else ""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".json", ".jsonl", ".ndjson"):
        return "json"
    if suffix in EMAIL_SUFFIXES or data.startswith(b"From "):
        return "email"
    start = data.lstrip()[:1]
    if start in (b"{", b"["):
        return "json"
    if re.match(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]", data):
        return "email"
    return "csv" if b"\n" in data else ""


def _no_advice(submission: Submission, advices: dict[str, str]) -> str:
    """Why a submission cannot be placed as it came, and the advice it most likely is for."""
    if submission.slug:
        start = f"no advice '{submission.slug}' on the site: it waits in the inbox"
    else:
        start = "it names no advice: it waits in the inbox"
    likely = likely_advice(submission, advices)
    how = f"--advice {likely}" if likely else "--advice SLUG"
    return f"{start}; accept it with {how}"


def likely_advice(submission: Submission, advices: dict[str, str]) -> str | None:
    """The advice a submission most likely belongs to: the slug it misspells, or the one
    whose title its subject nearly repeats."""
    if submission.slug and (close := closest(submission.slug, advices)):
        return close
    subject = mail.subject_title(submission.subject)
    if not subject:
        return None
    by_title = {words(title): slug for slug, title in advices.items() if title}
    found = difflib.get_close_matches(subject, list(by_title), n=1, cutoff=0.6)
    return by_title[found[0]] if found else None


def asker_addresses(inbox: Inbox) -> dict[str, str]:
    """By advice: the address of the letter it answers (casefolded). A comment from that
    address is the asker's own, whatever name it is signed with."""
    found = {}
    for entry in inbox.entries(ACCEPTED, Problems()):
        sub = entry.submission
        if sub.is_letter and entry.advice and sub.email:
            found[entry.advice] = sub.email.casefold()
    return found


def badge_names(settings: Settings, slug: str) -> frozenset[str]:
    """The names of an advice's asker and columnist (as `words` gives them): a reader who
    signs with one is flagged, since a typed name must never earn a badge."""
    names = {settings.columnist}
    folder = settings.content_dir / "advice" / slug
    if ID_RE.match(slug):
        for file, key in (("question.md", "author"), ("answer.md", "author")):
            doc = split(folder / file, file, Problems()) if (folder / file).is_file() else None
            value = doc.meta.get(key) if doc else None
            if value is not None:
                names.add(str(value.node.value))
    return frozenset(words(name) for name in names if name)


def advice_titles(settings: Settings) -> dict[str, str]:
    """Every advice folder's slug and title: what an email's subject may name."""
    found: dict[str, str] = {}
    folder = settings.content_dir / "advice"
    if not folder.is_dir():
        return found
    for question in sorted(folder.glob("*/question.md")):
        doc = split(question, question.name, Problems())
        title = doc.meta.get("title") if doc else None
        found[question.parent.name] = str(title.node.value) if title is not None else ""
    return found
