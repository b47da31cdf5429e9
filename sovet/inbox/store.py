"""The inbox folder: one readable Markdown file per submission, named by its content's hash.

    inbox/<id>.md            pending: waiting for a decision
    inbox/rejected/<id>.md   rejected: `inbox restore` brings it back
    inbox/accepted/<id>.md   accepted: kept so that importing it again adds nothing

The folder sits beside content/ and is never built. It holds readers' email addresses, so
it is created with a .gitignore of its own.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ..content.frontmatter import split
from ..problems import Problem, Problems, display_path
from ..settings import Settings
from .forms import parse_moment
from .submission import Submission

PENDING, REJECTED, ACCEPTED = "pending", "rejected", "accepted"
STATES = (PENDING, REJECTED, ACCEPTED)
ID_RE = re.compile(r"^[0-9a-f]{4,64}$")
DATE_FORMAT = "%Y-%m-%d %H:%M"


class InboxError(Exception):
    """A decision that cannot be made; every problem names a file and a line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    """A submission as stored: where its file is and the line of each key in it."""

    submission: Submission
    state: str
    path: Path
    shown: str
    lines: dict[str, int]
    comment: str = ""  # accepted: the comment file it became, relative to the site

    @property
    def id(self) -> str:
        return self.path.stem

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


SITE_FOLDERS = ("content", "themes", "templates", "static", "output")


class Inbox:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        name = str(settings.inbox["dir"])
        if name in SITE_FOLDERS:  # readers' addresses must never sit where a build reads
            line = settings.key_lines.get("inbox.dir", 1)
            message = f"'inbox.dir' must not be {name}/: the build reads or writes it"
            raise InboxError([Problem(settings.source, line, message)])
        self.root = settings.root / name

    def folder(self, state: str) -> Path:
        return self.root if state == PENDING else self.root / state

    def shown(self, path: Path) -> str:
        return display_path(path, self.settings.root)

    def ids(self, state: str) -> list[str]:
        folder = self.folder(state)
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.md") if ID_RE.match(p.stem))

    def state_of(self, submission_id: str) -> str | None:
        """Where a submission with this id already is, if anywhere."""
        return next((s for s in STATES if (self.folder(s) / f"{submission_id}.md").is_file()), None)

    def entries(self, state: str, problems: Problems) -> list[Entry]:
        found = [
            self.read(self.folder(state) / f"{i}.md", state, problems) for i in self.ids(state)
        ]
        return sorted((e for e in found if e), key=lambda e: (e.submission.date, e.id))

    def read(self, path: Path, state: str, problems: Problems) -> Entry | None:
        shown = self.shown(path)
        doc = split(path, shown, problems)
        if doc is None:
            return None
        values: dict[str, Any] = {}
        for key, value in doc.meta.items():
            try:
                values[key] = value.python()
            except (yaml.YAMLError, ValueError) as error:
                problems.add(shown, value.line, f"'{key}': {error}")
        when = parse_moment(str(values.get("date") or ""), self.settings.zone)
        if when is None:
            problems.add(shown, doc.meta["date"].line if "date" in doc.meta else 1, "no date")
            return None
        flags = values.get("flags") or []
        submission = Submission(
            slug=_text(values.get("slug")),
            reply_to=_text(values.get("reply_to")),
            author=_text(values.get("author")),
            email=_text(values.get("email")),
            date=when,
            body=(doc.body or "").strip("\n"),
            source=_text(values.get("source")),
            flags=tuple(str(f) for f in flags) if isinstance(flags, list) else (),
            subject=_text(values.get("subject")),
        )
        lines = {key: value.line for key, value in doc.meta.items()}
        comment = _text(values.get("comment"))
        return Entry(submission, state, path, shown, lines, comment)

    def write(self, submission: Submission, state: str, comment: str = "", name: str = "") -> Entry:
        """Write (or rewrite) a submission's file under its id (or the name it already has)."""
        if not self.root.is_dir():
            self.root.mkdir(parents=True)
            (self.root / ".gitignore").write_text(
                "# Readers' submissions with their email addresses: not for version control.\n*\n",
                "utf-8",
            )
        folder = self.folder(state)
        folder.mkdir(parents=True, exist_ok=True)
        meta: dict[str, Any] = {
            "author": submission.author,
            "email": submission.email,
            "date": submission.date.astimezone(self.settings.zone).strftime(DATE_FORMAT),
            "slug": submission.slug,
            "reply_to": submission.reply_to,
            "source": submission.source,
            "subject": submission.subject,
            "flags": list(submission.flags),
            "comment": comment,
        }
        kept = {k: v for k, v in meta.items() if v or k in ("author", "slug", "flags")}
        front = yaml.safe_dump(
            kept, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None
        )
        path = folder / f"{name or submission.id}.md"
        _write_atomic(path, f"---\n{front}---\n{submission.body}\n")
        lines = {key: number for number, key in enumerate(kept, start=2)}
        return Entry(submission, state, path, self.shown(path), lines, comment)

    def find(self, wanted: str, states: tuple[str, ...]) -> Entry:
        """The one submission whose id is or starts with `wanted`, in one of `states`."""
        wanted = wanted.strip().lower()
        if not ID_RE.match(wanted):
            raise InboxError([Problem(wanted or "ID", 1, "an inbox id is 4 or more of 0-9a-f")])
        matches = [(s, i) for s in states for i in self.ids(s) if i.startswith(wanted)]
        if len(matches) != 1:
            elsewhere = [s for s in STATES if s not in states and self._has(s, wanted)]
            where = f" (it is {elsewhere[0]})" if elsewhere else ""
            what = "no submission" if not matches else f"{len(matches)} submissions"
            message = f"{what} '{wanted}' {'/'.join(states)}{where}"
            raise InboxError([Problem(self.shown(self.root), 1, message)])
        state, found_id = matches[0]
        problems = Problems()
        entry = self.read(self.folder(state) / f"{found_id}.md", state, problems)
        if entry is None:
            raise InboxError(problems.sorted())
        return entry

    def _has(self, state: str, wanted: str) -> bool:
        return any(i.startswith(wanted) for i in self.ids(state))

    def move(self, entry: Entry, state: str, comment: str = "") -> Entry:
        """The same submission in another folder; the file of its old place is removed."""
        moved = self.write(entry.submission, state, comment, entry.id)
        if moved.path != entry.path:
            entry.path.unlink(missing_ok=True)
        return moved

    def reflag(self, entry: Entry, flags: tuple[str, ...]) -> Entry:
        changed = replace(entry.submission, flags=flags)
        return self.write(changed, entry.state, entry.comment, entry.id)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime(DATE_FORMAT)
    return str(value)


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)
