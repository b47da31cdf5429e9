"""The editors' decisions: accept (a comment file is written), reject, restore.

Accepting checks what a build checks before anything is written, and every problem names
the inbox file and the line of the key at fault. A rejected submission comes back with
`restore`; an accepted one is un-accepted by deleting its comment file, then `restore`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..content import schema
from ..content.frontmatter import split
from ..content.schema import ROLES
from ..problems import Problem, Problems, display_path
from ..scaffold import comment_target, write_comment
from ..settings import Settings
from .intake import advice_titles, likely_advice
from .store import ACCEPTED, PENDING, REJECTED, Entry, Inbox, InboxError
from .submission import is_spam
from .text import EMAIL_RE, clean_name, redact_address

HIDDEN_ADDRESS = {"ru": "[адрес скрыт]", "en": "[address removed]"}


@dataclass(frozen=True)
class Choice:
    """Where and under which name a submission is published; None: as it says itself."""

    advice: str | None = None
    reply_to: str | None = None  # "" publishes it at the top of the discussion
    author: str | None = None
    role: str | None = None  # the badge it wears; None: the asker's when sent from the
    # address of the letter the advice answers, else a reader's (a typed name earns none)


@dataclass(frozen=True)
class Accepted:
    entry: Entry  # the record in inbox/accepted/
    path: Path  # the comment file
    slug: str

    @property
    def comment_id(self) -> str:
        return self.path.stem


def publishable_body(settings: Settings, entry: Entry) -> str:
    """The text as it is published: the reader's own address taken out."""
    hidden = HIDDEN_ADDRESS.get(settings.language, HIDDEN_ADDRESS["en"])
    return redact_address(entry.submission.body, entry.submission.email, hidden)


def role_of(entry: Entry, choice: Choice) -> str:
    if choice.role is not None:
        return choice.role
    return "asker" if "asker" in entry.submission.flags else "reader"


def resolved(entry: Entry, choice: Choice) -> tuple[str, str, str]:
    """(slug, reply target, author) after the editor's choice."""
    sub = entry.submission
    slug = sub.slug if choice.advice is None else choice.advice.strip()
    reply_to = sub.reply_to if choice.reply_to is None else choice.reply_to.strip()
    author = sub.author if choice.author is None else clean_name(choice.author)
    return slug, reply_to, author


def problems_of(settings: Settings, entry: Entry, choice: Choice) -> list[Problem]:
    """Everything that stops this submission from being published as chosen."""
    slug, reply_to, author = resolved(entry, choice)
    found: list[Problem] = []

    def add(key: str, option: str | None, message: str) -> None:
        prefix = f"{option}: " if option else ""
        found.append(Problem(entry.shown, entry.line(key), prefix + message))

    if entry.submission.is_letter:
        add("kind", None, f"a letter, not a comment: `inbox answer {entry.id}` makes it an advice")
        return found

    if choice.role is not None and choice.role not in ROLES:
        add("author", "--role", f"'{choice.role}' is not a role: reader, asker or columnist")
    name_option = "--author" if choice.author is not None else None
    if not author:
        add("author", name_option, "no name to publish: give one with --author NAME")
    elif EMAIL_RE.search(author):
        add("author", name_option, "the name holds an email address: give one with --author")
    if not publishable_body(settings, entry).strip():
        add("author", None, "no comment text")
    advice_option = "--advice" if choice.advice is not None else None
    if not slug:
        add("slug", advice_option, "no advice named: " + _which_advice(settings, entry))
        return found
    fault = comment_target(settings, slug, reply_to or None, hidden_ok=False)
    if fault is not None:
        if fault.key == "slug" and not (settings.content_dir / "advice" / slug).is_dir():
            add("slug", advice_option, f"no advice '{slug}': " + _which_advice(settings, entry))
        elif fault.key == "slug":
            add("slug", advice_option, fault.message)
        else:
            option = "--reply-to" if choice.reply_to is not None else None
            add("reply_to", option, fault.message + " (--top-level publishes it at the top)")
    return found


def _which_advice(settings: Settings, entry: Entry) -> str:
    likely = likely_advice(entry.submission, advice_titles(settings))
    if likely:
        return f"publish it with --advice {likely}"
    return "give the advice with --advice SLUG (its folder's name under content/advice/)"


def accept(settings: Settings, wanted: str, choice: Choice | None = None) -> Accepted:
    """Write the comment file, move the submission to inbox/accepted/; or InboxError."""
    choice = choice or Choice()
    inbox = Inbox(settings)
    entry = inbox.find(wanted, (PENDING,))
    problems = problems_of(settings, entry, choice)
    if problems:
        raise InboxError(problems)
    slug, reply_to, author = resolved(entry, choice)
    body = publishable_body(settings, entry)
    path = write_comment(
        settings,
        slug,
        author,
        reply_to or None,
        entry.submission.date,
        body,
        role_of(entry, choice),
    )
    written = Problems()
    doc = split(path, display_path(path, settings.root), written)
    if doc is not None:
        schema.check(doc, schema.COMMENT, written)
    if written:  # a comment a build would refuse is never left behind
        path.unlink()
        raise InboxError(written.sorted())
    chosen = replace(entry.submission, slug=slug, reply_to=reply_to, author=author)
    kept = replace(entry, submission=chosen)
    relative = path.relative_to(settings.root).as_posix()
    return Accepted(inbox.move(kept, ACCEPTED, comment=relative), path, slug)


def reject(settings: Settings, wanted: list[str]) -> list[Entry]:
    """Move submissions to inbox/rejected/; pending copies of their text get flagged."""
    inbox = Inbox(settings)
    entries = [inbox.find(w, (PENDING,)) for w in wanted]
    return _reject(inbox, entries)


def reject_flagged(settings: Settings) -> list[Entry]:
    inbox = Inbox(settings)
    entries = [e for e in inbox.entries(PENDING, Problems()) if is_spam(e.submission.flags)]
    return _reject(inbox, entries)


def _reject(inbox: Inbox, entries: list[Entry]) -> list[Entry]:
    moved = [inbox.move(e, REJECTED) for e in entries]
    texts = {e.submission.text_key for e in moved}
    for entry in inbox.entries(PENDING, Problems()):
        flags = entry.submission.flags
        if entry.submission.text_key in texts and "repeat" not in flags:
            inbox.reflag(entry, (*flags, "repeat"))
    return moved


def restore(settings: Settings, wanted: str) -> Entry:
    """Back to pending: a rejected submission, or an accepted one whose comment is gone."""
    inbox = Inbox(settings)
    entry = inbox.find(wanted, (REJECTED, ACCEPTED))
    if entry.state == ACCEPTED and entry.comment and (settings.root / entry.comment).exists():
        message = f"published as {entry.comment}: delete that file to un-accept it, then restore"
        raise InboxError([Problem(entry.shown, entry.line("comment"), message)])
    folder = settings.content_dir / "advice" / entry.advice
    if entry.state == ACCEPTED and entry.advice and folder.exists():
        shown = display_path(folder, settings.root)
        message = f"answered as {shown}: delete that folder to un-answer it, then restore"
        raise InboxError([Problem(entry.shown, entry.line("advice"), message)])
    return inbox.move(entry, PENDING)


@dataclass(frozen=True)
class Group:
    slug: str
    title: str
    entries: tuple[Entry, ...]


def pending_by_advice(settings: Settings, problems: Problems) -> list[Group]:
    """Pending comments grouped by advice (those naming none come last), oldest first."""
    titles = advice_titles(settings)
    groups: dict[str, list[Entry]] = {}
    for entry in Inbox(settings).entries(PENDING, problems):
        if not entry.submission.is_letter:
            groups.setdefault(entry.submission.slug, []).append(entry)
    order = sorted(groups, key=lambda slug: (not slug, slug not in titles, slug))
    return [Group(slug, titles.get(slug, ""), tuple(groups[slug])) for slug in order]


def pending_letters(settings: Settings, problems: Problems) -> list[Entry]:
    """Letters waiting for an answer, newest first: the columnist reads the fresh ones."""
    letters = [e for e in Inbox(settings).entries(PENDING, problems) if e.submission.is_letter]
    return sorted(letters, key=lambda e: (e.submission.date, e.id), reverse=True)
