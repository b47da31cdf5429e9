"""A reader's submission: what every intake format produces and every inbox file holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .text import digest, words

ID_LENGTH = 10

COMMENT, LETTER = "comment", "letter"

# Why a submission needs a look; the words are what the inbox file's `flags` holds. All but
# "name", "consent" and "asker" say it looks like spam (`reject --flagged` rejects those).
FLAG_REASONS = {
    "honeypot": "the hidden field was filled",
    "links": "more links than [inbox] max_links",
    "repeat": "the text of a rejected submission",
    "form-time": "the form's time is missing, unreadable or after the submission",
    "name": "signed with the columnist's or the asker's name: published as a reader's",
    "consent": "a letter without consent to publish it: answer it only with --force",
    "asker": "sent from the address of the letter this advice answers: published as the asker's",
}
SPAM_FLAGS = frozenset(FLAG_REASONS) - {"name", "consent", "asker"}


def is_spam(flags: tuple[str, ...]) -> bool:
    return not SPAM_FLAGS.isdisjoint(flags)


@dataclass(frozen=True)
class Submission:
    """A comment or a letter as a reader sent it; `id` comes from its content, so a copy
    collides. A letter names no advice: it may become one (`inbox answer`)."""

    slug: str
    author: str
    email: str
    date: dt.datetime
    body: str
    source: str
    reply_to: str = ""
    flags: tuple[str, ...] = ()
    subject: str = ""
    kind: str = COMMENT
    rubric: str = ""  # a letter: the rubric the reader chose, if any

    @property
    def id(self) -> str:
        """The same advice, name and words are the same submission, whatever the source or
        the moment: a form sent twice, or an export imported twice, is one submission."""
        place = self.slug if self.kind == COMMENT else "letter:"  # no slug has a colon
        return digest(place, words(self.author), words(self.body))[:ID_LENGTH]

    @property
    def is_letter(self) -> bool:
        return self.kind == LETTER

    @property
    def text_key(self) -> str:
        """The words alone: a rejected text sent again by anyone is recognised."""
        return digest(words(self.body))


@dataclass
class Incoming:
    """A submission before the spam checks: the form's trap fields travel with it."""

    submission: Submission
    honeypot: str = ""
    form_time: str | None = None  # None: the export has no such field
    consent: bool | None = None  # a letter: whether the reader agreed to its publication
    warnings: list[str] = field(default_factory=list)
