"""`inbox answer ID`: a reader's letter becomes a draft advice folder.

question.md holds the letter (the reader's own address taken out, raw HTML shown as text),
a proposed title, the signature as columns sign letters, the date it came and its rubric;
answer.md is a draft that starts with the greeting. The reader's address stays in the inbox:
the letter's inbox id in question.md (`letter:`) is how the asker is found again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..inbox.review import publishable_body
from ..inbox.store import ACCEPTED, PENDING, Entry, Inbox, InboxError
from ..inbox.text import EMAIL_RE, clean_name, first_line, words
from ..problems import Problem
from ..scaffold import DraftAdvice, ScaffoldError, reader_name, write_advice
from ..settings import Settings
from .wording import first_name, proposed_title, short_signature


@dataclass(frozen=True)
class Choice:
    """The editor's changes to the proposals; None: as proposed."""

    title: str | None = None
    signature: str | None = None
    force: bool = False  # answer a letter whose reader did not agree to publication


@dataclass(frozen=True)
class Answered:
    entry: Entry  # the letter, now in inbox/accepted/
    slug: str
    question: Path
    answer: Path


def proposals(settings: Settings, entry: Entry) -> tuple[str, str]:
    """(title, signature) as `inbox answer` would write them."""
    sub = entry.submission
    body = publishable_body(settings, entry)
    title = proposed_title(body) or _subject_as_title(settings, sub.subject)
    return title or first_line(body, 90), short_signature(sub.author) or reader_name(settings)


def _subject_as_title(settings: Settings, subject: str) -> str:
    """A subject the reader wrote, without the [tag]; not the ask page's own subject."""
    text = re.sub(r"\[[^\]]*\]", "", subject).strip()
    return "" if words(text) in ("", words(settings.title)) else text


def greeting(settings: Settings, signature: str) -> str:
    """How the answer starts: [letters] greeting with the reader's first name as signed."""
    name = first_name(signature)
    return str(settings.letters["greeting"]).format(name=name) if name else ""


def problems_of(settings: Settings, entry: Entry, choice: Choice) -> list[Problem]:
    """Everything that stops this letter from becoming an advice as chosen."""
    found: list[Problem] = []
    sub = entry.submission

    def add(key: str, message: str) -> None:
        found.append(Problem(entry.shown, entry.line(key), message))

    if not sub.is_letter:
        add("slug", f"a comment, not a letter: `inbox accept {entry.id}` publishes it")
        return found
    if "consent" in sub.flags and not choice.force:
        add(
            "flags",
            "the reader did not agree to publish the letter: ask them, then answer it with --force",
        )
    title, signature = proposals(settings, entry)
    if choice.title is not None:
        title = clean_name(choice.title)
    if choice.signature is not None:
        signature = clean_name(choice.signature)
    if not title:
        add("author", "--title: no title to propose: give one with --title")
    if not signature:
        add("author", "--signature: no signature: give one with --signature")
    elif EMAIL_RE.search(signature):
        add("author", "the signature holds an email address: give one with --signature")
    if not publishable_body(settings, entry).strip():
        add("author", "no letter text")
    return found


def answer(
    settings: Settings, wanted: str, choice: Choice | None = None, now: dt.datetime | None = None
) -> Answered:
    """Write the draft advice, move the letter to inbox/accepted/; or InboxError."""
    choice = choice or Choice()
    inbox = Inbox(settings)
    entry = inbox.find(wanted, (PENDING,))
    problems = problems_of(settings, entry, choice)
    if problems:
        raise InboxError(problems)
    sub = entry.submission
    title, signature = proposals(settings, entry)
    title = clean_name(choice.title) if choice.title is not None else title
    signature = clean_name(choice.signature) if choice.signature is not None else signature
    rubric = sub.rubric if any(r.key == sub.rubric for r in settings.rubrics) else ""
    now = now or dt.datetime.now(settings.zone)
    draft = DraftAdvice(
        title=title,
        author=signature,
        received=sub.date.astimezone(settings.zone).date(),
        question=as_text(publishable_body(settings, entry)),
        rubric=rubric,
        answer=greeting(settings, signature),
        letter=entry.id,
    )
    try:
        created = write_advice(settings, draft, now)
    except ScaffoldError as error:
        raise InboxError([error.problem]) from None
    question, answer_file = created.paths
    slug = question.parent.name
    moved = inbox.move(entry, ACCEPTED, advice=slug)
    return Answered(moved, slug, question, answer_file)


def as_text(letter: str) -> str:
    """A reader's letter as the editors' Markdown shows it: question.md may hold raw HTML,
    so a reader's tags are written as text, and an image a reader put in stays a link."""
    return letter.replace("<", "&lt;").replace("![", "\\![")
