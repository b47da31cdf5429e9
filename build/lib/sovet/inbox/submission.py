"""A reader's submission: what every intake format produces and every inbox file holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .text import digest, words

ID_LENGTH = 10

# Why a submission needs a look; the words are what the inbox file's `flags` holds. All but
# "name" say it looks like spam (`reject --flagged` rejects those).
FLAG_REASONS = {
    "honeypot": "the hidden field was filled",
    "links": "more links than [inbox] max_links",
    "repeat": "the text of a rejected submission",
    "form-time": "the form's time is missing, unreadable or after the submission",
    "name": "signed with the columnist's or the asker's name: published as a reader's",
}
SPAM_FLAGS = frozenset(FLAG_REASONS) - {"name"}


def is_spam(flags: tuple[str, ...]) -> bool:
    return not SPAM_FLAGS.isdisjoint(flags)


@dataclass(frozen=True)
class Submission:
    """One comment as a reader sent it; `id` comes from its content, so a copy collides."""

    slug: str
    author: str
    email: str
    date: dt.datetime
    body: str
    source: str
    reply_to: str = ""
    flags: tuple[str, ...] = ()
    subject: str = ""

    @property
    def id(self) -> str:
        """The same advice, name and words are the same submission, whatever the source or
        the moment: a form sent twice, or an export imported twice, is one submission."""
        return digest(self.slug, words(self.author), words(self.body))[:ID_LENGTH]

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
    warnings: list[str] = field(default_factory=list)
