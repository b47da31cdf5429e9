"""What the buttons of /_inbox/ do, and who may press them.

The buttons call the functions the commands call. The page answers this machine only, and
every form carries the server's token, so another site cannot press a button for the editor.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

from .. import urls
from ..letters import answer, telling
from ..model import Site
from ..problems import Problem
from ..safe_files import UnsafePath
from ..settings import Settings
from . import review
from .page import PATH
from .store import PENDING, Inbox, InboxError


@dataclass(frozen=True)
class Outcome:
    """What a POST did: where to go next, or the problems to show on the inbox page."""

    location: str = PATH
    problems: tuple[Problem, ...] = ()
    anchor: str = ""  # accepted: the advice page's anchor to wait for (comment-<id>)
    page: str = ""  # accepted: the advice page's URL


def is_local(client: str, host: str | None, origin: str | None, port: int) -> bool:
    """Only this machine may see or change the inbox: a loopback client, a Host header naming
    this server (no DNS rebinding) and, when the browser sends one, the same Origin."""
    try:
        if not ipaddress.ip_address(client.split("%")[0]).is_loopback:
            return False
    except ValueError:
        return False
    names = {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
    if (host or "").lower() not in names:
        return False
    return origin is None or urlsplit(origin).netloc.lower() in names


def act(settings: Settings, site: Site | None, action: str, form: Mapping[str, str]) -> Outcome:
    """Do what the button asks, with the same functions as the commands."""
    wanted = form.get("id", "")
    try:
        if action == "accept":
            entry = Inbox(settings).find(wanted, (PENDING,))
            sub = entry.submission
            choice = review.Choice(
                advice=_changed(form.get("advice"), sub.slug),
                reply_to=_changed(form.get("reply_to"), sub.reply_to),
                author=_changed(form.get("author"), sub.author),
                role=form.get("role") or None,
            )
            accepted = review.accept(settings, wanted, choice)
            advice = (
                next((a for a in site.advices if a.slug == accepted.slug), None) if site else None
            )
            anchor = f"comment-{accepted.comment_id}"
            if advice is None:
                return Outcome(PATH)
            shown = urls.under(urls.base_path(settings.base_url), advice.url)
            return Outcome(f"{shown}#{anchor}", anchor=anchor, page=advice.url)
        if action == "answer":
            entry = Inbox(settings).find(wanted, (PENDING,))
            title, signature = answer.proposals(settings, entry)
            wording = answer.Choice(
                title=_changed(form.get("title"), title),
                signature=_changed(form.get("signature"), signature),
                force=form.get("force") == "yes",
            )
            now = dt.datetime.now(settings.zone)
            made = answer.answer(settings, wanted, wording, now)
            page = urls.advice(settings.permalink, made.slug, now.date())
            return Outcome(
                urls.under(urls.base_path(settings.base_url), page), anchor="main", page=page
            )
        if action == "told":
            telling.told(settings, wanted)
            return Outcome(PATH)
        if action == "reject":
            review.reject(settings, [wanted])
            return Outcome(PATH)
        if action == "reject-flagged":
            review.reject_flagged(settings)
            return Outcome(PATH)
        if action == "restore":
            entry = review.restore(settings, wanted)
            return Outcome(f"{PATH}#s-{entry.id}")
    except InboxError as error:
        return Outcome(PATH, tuple(error.problems))
    except UnsafePath as refused:
        return Outcome(PATH, (Problem(str(refused.path), 1, refused.reason),))
    return Outcome(PATH, (Problem(PATH + action, 1, "no such inbox action"),))


def _changed(value: str | None, current: str) -> str | None:
    """A form field counts as the editor's choice only when it differs from the submission."""
    if value is None or value.strip() == current:
        return None
    return value


def status_of(outcome: Outcome) -> HTTPStatus:
    return HTTPStatus.UNPROCESSABLE_ENTITY if outcome.problems else HTTPStatus.SEE_OTHER
