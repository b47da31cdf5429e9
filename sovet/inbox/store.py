"""The inbox folder: one readable Markdown file per submission, named by its content's hash.

    inbox/<id>.md            pending: waiting for a decision
    inbox/rejected/<id>.md   rejected: `inbox restore` brings it back
    inbox/accepted/<id>.md   accepted: kept so that importing it again adds nothing; a letter
                             answered (`advice`: the folder it became), then told (`told`)

The folder sits beside content/ and is never built. It holds readers' email addresses, so
it is created with a .gitignore of its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ..content import schema
from ..content.frontmatter import MAX_BYTES, split
from ..problems import Problem, Problems, display_path
from ..safe_files import Folder, UnsafePath
from ..settings import Settings
from .forms import parse_moment
from .submission import COMMENT, LETTER, Submission

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
    advice: str = ""  # an answered letter: the slug of the advice it became
    told: str = ""  # an answered letter: when its asker was told the advice is out

    @property
    def id(self) -> str:
        return self.path.stem

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


SITE_FOLDERS = ("content", "themes", "templates", "static", "output")
GITIGNORE = "# Readers' submissions with their email addresses: not for version control.\n*\n"
# What an inbox file holds: read through the key table, like content (no YAML construction).
INBOX_FILE: schema.Schema = {
    key: schema.Field(schema.Kind.TEXT)
    for key in (
        "kind",
        "author",
        "email",
        "date",
        "slug",
        "reply_to",
        "rubric",
        "source",
        "subject",
        "comment",
        "advice",
        "told",
    )
}
INBOX_FILE["flags"] = schema.Field(schema.Kind.TEXT_LIST)


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

    def _open(self, state: str, create: bool = False) -> Folder:
        """A state's folder, reached without following a link below the site (a neighbour's
        link there would send readers' words anywhere); InboxError if one is in the way."""
        relative = self.folder(state).relative_to(self.settings.root)
        try:
            return Folder.open(self.settings.root, relative, create=create, mode=0o700)
        except UnsafePath as error:
            raise InboxError([Problem(self.shown(error.path), 1, error.reason)]) from None

    def ids(self, state: str, files_only: bool = False) -> list[str]:
        """The ids in a state's folder; FILES_ONLY: of regular files alone (not a link or a
        pipe someone put there under a submission's name, which reading reports)."""
        try:
            with self._open(state) as folder:
                names = [n for n in folder.names() if n.endswith(".md") and ID_RE.match(n[:-3])]
                if files_only:
                    names = [n for n in names if folder.is_file(n)]
        except FileNotFoundError:
            return []
        return [name[:-3] for name in names]

    def state_of(self, submission_id: str) -> str | None:
        """Where a submission with this id already is, if anywhere."""
        return next((s for s in STATES if submission_id in self.ids(s, files_only=True)), None)

    def entries(self, state: str, problems: Problems) -> list[Entry]:
        found = [self.read(i, state, problems) for i in self.ids(state)]
        return sorted((e for e in found if e), key=lambda e: (e.submission.date, e.id))

    def read(self, submission_id: str, state: str, problems: Problems) -> Entry | None:
        """One inbox file, read as content files are: a regular file only, its front matter
        through the key table (so YAML aliases are never expanded)."""
        path = self.folder(state) / f"{submission_id}.md"
        shown = self.shown(path)
        try:
            with self._open(state) as folder:
                data = folder.read(path.name, MAX_BYTES)
        except InboxError as error:
            problems.extend(error.problems)
            return None
        except UnsafePath as error:
            problems.add(shown, 1, error.reason)
            return None
        except OSError as error:
            problems.add(shown, 1, f"cannot read the file: {error.strerror or error}")
            return None
        doc = split(path, shown, problems, data)
        if doc is None:
            return None
        values, _ = schema.check(doc, INBOX_FILE, problems)
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
            flags=tuple(flags),
            subject=_text(values.get("subject")),
            kind=LETTER if _text(values.get("kind")) == LETTER else COMMENT,
            rubric=_text(values.get("rubric")),
        )
        lines = {key: value.line for key, value in doc.meta.items()}
        made = {key: _text(values.get(key)) for key in ("comment", "advice", "told")}
        return Entry(submission, state, path, shown, lines, **made)

    def write(
        self,
        submission: Submission,
        state: str,
        comment: str = "",
        name: str = "",
        advice: str = "",
        told: str = "",
    ) -> Entry:
        """Write (or rewrite) a submission's file under its id (or the name it already has)."""
        if not self.root.is_dir() and not self.root.is_symlink():
            with self._open(PENDING, create=True) as root:
                root.create(".gitignore", GITIGNORE.encode())
        meta: dict[str, Any] = {
            "kind": LETTER if submission.is_letter else "",
            "author": submission.author,
            "email": submission.email,
            "date": submission.date.astimezone(self.settings.zone).strftime(DATE_FORMAT),
            "slug": submission.slug,
            "reply_to": submission.reply_to,
            "rubric": submission.rubric,
            "source": submission.source,
            "subject": submission.subject,
            "flags": list(submission.flags),
            "comment": comment,
            "advice": advice,
            "told": told,
        }
        always = ("author", "flags") if submission.is_letter else ("author", "slug", "flags")
        kept = {k: v for k, v in meta.items() if v or k in always}
        front = yaml.safe_dump(
            kept, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None
        )
        path = self.folder(state) / f"{name or submission.id}.md"
        with self._open(state, create=True) as folder:
            folder.replace(path.name, f"---\n{front}---\n{submission.body}\n".encode(), 0o600)
        lines = {key: number for number, key in enumerate(kept, start=2)}
        return Entry(submission, state, path, self.shown(path), lines, comment, advice, told)

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
        entry = self.read(found_id, state, problems)
        if entry is None:
            raise InboxError(problems.sorted())
        return entry

    def _has(self, state: str, wanted: str) -> bool:
        return any(i.startswith(wanted) for i in self.ids(state))

    def move(
        self, entry: Entry, state: str, comment: str = "", advice: str = "", told: str = ""
    ) -> Entry:
        """The same submission in another folder; the file of its old place is removed."""
        moved = self.write(entry.submission, state, comment, entry.id, advice, told)
        if moved.path != entry.path:
            with self._open(entry.state) as folder, contextlib.suppress(FileNotFoundError):
                folder.remove(entry.path.name)
        return moved

    def reflag(self, entry: Entry, flags: tuple[str, ...]) -> Entry:
        changed = replace(entry.submission, flags=flags)
        return self.write(changed, entry.state, entry.comment, entry.id, entry.advice, entry.told)

    def mark_told(self, entry: Entry, when: dt.datetime) -> Entry:
        moment = when.astimezone(self.settings.zone).strftime(DATE_FORMAT)
        return self.write(entry.submission, entry.state, "", entry.id, entry.advice, moment)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime(DATE_FORMAT)
    return str(value)
