"""Spam signals, and a name to look at. A flagged submission is kept and shown as flagged,
never dropped: the editors decide, and `inbox reject --flagged` rejects all that look like
spam at once.

The form's time field (`built`) holds the advice's publication moment, the same in every
build: a person fills in a form that existed, so a time that is empty, unreadable or later
than the submission itself means the form was not the site's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from zoneinfo import ZoneInfo

from .forms import parse_moment
from .submission import Incoming
from .text import count_links, words

CLOCK_SLACK = dt.timedelta(minutes=5)  # a form service's clock may run a little behind


def flags(
    incoming: Incoming,
    max_links: int,
    rejected: Collection[str],
    zone: ZoneInfo,
    badges: Collection[str] = (),
) -> tuple[str, ...]:
    """The flag words of FLAG_REASONS that apply, in a stable order. BADGES: the names of
    the advice's asker and columnist, as `words` gives them."""
    submission = incoming.submission
    found = []
    if incoming.honeypot.strip():
        found.append("honeypot")
    if count_links(submission.body) > max_links:
        found.append("links")
    if submission.text_key in rejected:
        found.append("repeat")
    if incoming.form_time is not None:
        built = parse_moment(incoming.form_time, zone)
        if built is None or built > submission.date + CLOCK_SLACK:
            found.append("form-time")
    if submission.author and words(submission.author) in badges:
        found.append("name")  # someone signing as the columnist or the asker: never a badge
    return tuple(found)
