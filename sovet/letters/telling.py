"""Telling an asker that their advice is out: sovet sends no mail, it writes the message.

An answered letter waits in inbox/accepted/ until the advice made from it is published (its
answer.md is no draft and its date has come); then `inbox` lists the asker with a mailto:
link that opens the message ([letters] tell, or the theme's words), and `inbox told ID` (or
the button on /_inbox/) marks it done. The advice is found by the letter's id in its
question.md, so a folder renamed after the answer is still found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .. import urls
from ..content import schema
from ..content.frontmatter import split
from ..i18n import N_
from ..inbox.store import ACCEPTED, Entry, Inbox, InboxError
from ..problems import Problem, Problems
from ..render.theme import site_translations
from ..settings import Settings
from .wording import first_name

TELL = N_(
    "{name}, hello!\n\nThe column {column} has answered your letter: “{title}”.\n{url}\n\n"
    "Thank you for writing to us."
)


@dataclass(frozen=True)
class Published:
    slug: str
    title: str
    path: str  # on the site: /advice/slug/
    url: str  # absolute, for the message


@dataclass(frozen=True)
class ToTell:
    entry: Entry
    advice: Published
    message: str
    mailto: str


def letters_to_tell(settings: Settings, now: dt.datetime | None = None) -> list[ToTell]:
    """Answered letters whose advice is out and whose asker is not told yet, oldest first."""
    now = now or dt.datetime.now(settings.zone)
    waiting = [
        e
        for e in Inbox(settings).entries(ACCEPTED, Problems())
        if e.submission.is_letter and e.advice and not e.told and e.submission.email
    ]
    if not waiting:
        return []
    found = _advices_by_letter(settings)
    result = []
    for entry in waiting:
        folder = found.get(entry.id) or settings.content_dir / "advice" / entry.advice
        advice = published(settings, folder, now)
        if advice is not None:
            result.append(_to_tell(settings, entry, advice))
    return result


def told(settings: Settings, wanted: str, now: dt.datetime | None = None) -> Entry:
    """Mark an answered letter's asker as told; InboxError for anything else."""
    inbox = Inbox(settings)
    entry = inbox.find(wanted, (ACCEPTED,))
    if not entry.submission.is_letter or not entry.advice:
        message = "not an answered letter: only the asker of an answered letter is told"
        raise InboxError([Problem(entry.shown, 1, message)])
    return inbox.mark_told(entry, now or dt.datetime.now(settings.zone))


def _advices_by_letter(settings: Settings) -> dict[str, Path]:
    """Each advice folder by the letter id its question.md names."""
    found: dict[str, Path] = {}
    for question in sorted((settings.content_dir / "advice").glob("*/question.md")):
        doc = split(question, question.name, Problems())
        letter = doc.meta.get("letter") if doc else None
        if letter is not None:
            found[str(letter.node.value)] = question.parent
    return found


def published(settings: Settings, folder: Path, now: dt.datetime) -> Published | None:
    """The advice in FOLDER when a build would publish it now, else None."""
    values = {}
    for name, table in (("question.md", schema.QUESTION), ("answer.md", schema.ANSWER)):
        path = folder / name
        doc = split(path, name, Problems()) if path.is_file() else None
        if doc is None:
            return None
        checked, _ = schema.check(doc, table, Problems())
        values[name] = checked
    answer = values["answer.md"]
    date = answer.get("date")
    if date is None or answer.get("draft") is True:
        return None
    moment = (
        date.replace(tzinfo=settings.zone)
        if isinstance(date, dt.datetime)
        else dt.datetime.combine(date, dt.time(), settings.zone)
    )
    if moment > now:
        return None
    day = date.date() if isinstance(date, dt.datetime) else date
    page = urls.advice(settings.permalink, folder.name, day)
    title = str(values["question.md"].get("title") or "")
    return Published(folder.name, title, page, urls.absolute(settings.base_url, page))


def _to_tell(settings: Settings, entry: Entry, advice: Published) -> ToTell:
    sub = entry.submission
    words = str(settings.letters["tell"]) or site_translations(settings).gettext(TELL)
    name = first_name(sub.author) or sub.author
    message = words.format(name=name, title=advice.title, url=advice.url, column=settings.title)
    if not name:
        message = message.lstrip(", ")
        message = message[:1].upper() + message[1:]
    subject = f"{advice.title} — {settings.title}"
    query = f"subject={_mail_quote(subject)}&body={_mail_quote(message)}"
    return ToTell(entry, advice, message, f"mailto:{quote(sub.email, safe='@')}?{query}")


def _mail_quote(text: str) -> str:
    """RFC 6068: every reserved character percent-encoded, line breaks as CRLF."""
    return quote(text.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")
