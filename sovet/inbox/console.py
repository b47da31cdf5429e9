"""What the `inbox` actions do and print (see commands.py for their arguments).

Everything a reader wrote is printed as plain text (never as console markup), so a name like
`[bold]` or an escape sequence prints as what it is.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.text import Text

from ..letters import answer, telling
from ..problems import Problem, Problems
from ..settings import Settings
from . import review
from .intake import advice_titles, import_files
from .store import ACCEPTED, PENDING, REJECTED, STATES, Entry, Inbox, InboxError
from .submission import FLAG_REASONS, SPAM_FLAGS, is_spam
from .text import first_line, first_lines, terminal_safe

LETTER_LINES = 2  # of each letter in the list

Report = Callable[..., None]


def run(args: argparse.Namespace, out: Console, err: Console, report: Report) -> int:
    from ..cli import site_settings

    settings = site_settings(getattr(args, "site", None) or Path("."), err)
    if settings is None:
        return 1
    quiet = bool(getattr(args, "quiet", False))

    def say(text: str) -> None:
        if not quiet:
            out.print(Text(terminal_safe(text)))

    action = args.action or "list"
    try:
        if action == "import":
            result = import_files(settings, args.files)
            for done in result.files:
                flagged = sum(1 for e in done.added if is_spam(e.submission.flags))
                parts = [f"{len(done.added)} new" + (f" ({flagged} flagged)" if flagged else "")]
                parts += [f"{n} already {_where(s)}" for s, n in sorted(done.copies.items())]
                say(f"{done.shown}: {', '.join(parts)}")
            for warning in result.warnings:
                say(str(warning))
            if result.problems:
                report(result.problems, err, written=False)
                return 1
            return 0
        if action == "show":
            _show(settings, Inbox(settings).find(args.id, STATES), say)
            return 0
        if action == "accept":
            reply_to = "" if args.top_level else args.reply_to
            choice = review.Choice(args.advice, reply_to, args.author, args.role)
            accepted = review.accept(settings, args.id, choice)
            say(f"Published {accepted.path.relative_to(settings.root).as_posix()}")
            return 0
        if action == "answer":
            wording = answer.Choice(args.title, args.signature, args.force)
            made = answer.answer(settings, args.id, wording)
            for path in (made.question, made.answer):
                say(f"Wrote {path.relative_to(settings.root).as_posix()}")
            say("Edit the title and write the answer; when it is out, `inbox` lists the asker.")
            return 0
        if action == "told":
            entry = telling.told(settings, args.id)
            say(f"Told {entry.id} ({entry.submission.author}) that {entry.advice} is out")
            return 0
        if action == "reject":
            if not args.ids and not args.flagged:
                raise InboxError([Problem("reject", 1, "name the IDs to reject, or --flagged")])
            moved = review.reject(settings, args.ids) if args.ids else []
            if args.flagged:
                moved += review.reject_flagged(settings)
            for entry in moved:
                say(f"Rejected {entry.id} ({_who(entry)}); `inbox restore {entry.id}` undoes it")
            if not moved:
                say("Nothing flagged to reject.")
            return 0
        if action == "restore":
            entry = review.restore(settings, args.id)
            say(f"Restored {entry.id} ({_who(entry)}) to the inbox")
            return 0
        return _list(settings, say, err, report)
    except InboxError as error:
        report(error.problems, err, written=False)
        return 1


def _where(state: str) -> str:
    return {PENDING: "in the inbox", REJECTED: "rejected", ACCEPTED: "accepted"}[state]


def _who(entry: Entry) -> str:
    sub = entry.submission
    return f"{sub.author or 'no name'}, {'a letter' if sub.is_letter else sub.slug or 'no advice'}"


def _flags(flags: Sequence[str]) -> str:
    return ", ".join(f"{f} ({FLAG_REASONS.get(f, f)})" for f in flags)


def _list(settings: Settings, say: Callable[[str], None], err: Console, report: Report) -> int:
    problems = Problems()
    letters = review.pending_letters(settings, problems)
    groups = review.pending_by_advice(settings, problems)
    inbox = Inbox(settings)
    if letters:
        say("Letters, newest first (`inbox answer ID` makes one a draft advice)")
    for entry in letters:
        sub = entry.submission
        marks = (
            f"  SPAM? {', '.join(f for f in sub.flags if f in SPAM_FLAGS)}"
            if is_spam(sub.flags)
            else ""
        )
        marks += "  NO CONSENT to publish it" if "consent" in sub.flags else ""
        rubric = f"  [{sub.rubric}]" if sub.rubric else ""
        date = sub.date.strftime("%Y-%m-%d %H:%M")
        say(f"  {entry.id}  {date}  {sub.author or '(no name)'}{rubric}{marks}")
        for line in first_lines(sub.body, LETTER_LINES):
            say(f"              {line}")
    pending = [e for g in groups for e in g.entries]
    for group in groups:
        heading = f"{group.title} ({group.slug})" if group.title else group.slug
        say(heading or "No advice named (accept with --advice SLUG)")
        for entry in group.entries:
            sub = entry.submission
            reply = f"  ↳ {sub.reply_to}" if sub.reply_to else ""
            spam = f"  SPAM? {', '.join(sub.flags)}" if is_spam(sub.flags) else ""
            spam += "  NAME? signed like the columnist or the asker" if "name" in sub.flags else ""
            date = sub.date.strftime("%Y-%m-%d %H:%M")
            say(f"  {entry.id}  {date}  {sub.author or '(no name)'}{reply}{spam}")
            say(f"              {first_line(sub.body)}")
    tell = telling.letters_to_tell(settings)
    if tell:
        say("To tell: their advice is out (`inbox told ID` when you have written)")
    for item in tell:
        sub = item.entry.submission
        say(
            f"  {item.entry.id}  {sub.author} <{sub.email}>  {item.advice.title}  {item.advice.url}"
        )
        say(f"              {item.mailto}")
    counts = [_counted(f"{len(pending)} pending", pending)]
    plural = "" if len(letters) == 1 else "s"
    counts += [_counted(f"{len(letters)} letter{plural}", letters)] if letters else []
    counts += [f"{len(tell)} to tell"] if tell else []
    counts += [f"{len(inbox.ids(s))} {s}" for s in (REJECTED, ACCEPTED)]
    say(" · ".join(counts))
    if problems:
        report(problems.sorted(), err, written=False)
        return 1
    return 0


def _counted(text: str, entries: Sequence[Entry]) -> str:
    flagged = sum(1 for e in entries if is_spam(e.submission.flags))
    return text + (f" ({flagged} flagged)" if flagged else "")


def _show(settings: Settings, entry: Entry, say: Callable[[str], None]) -> None:
    sub = entry.submission
    title = advice_titles(settings).get(sub.slug, "")
    rows = [
        ("letter" if sub.is_letter else "author", sub.author or "(no name)"),
        ("email", sub.email),
        ("date", sub.date.strftime("%Y-%m-%d %H:%M")),
        ("rubric", sub.rubric),
        ("reply to", sub.reply_to),
        ("subject", sub.subject),
        ("source", sub.source),
        ("flags", _flags(sub.flags)),
        ("published", entry.comment),
        ("answered", entry.advice and f"content/advice/{entry.advice}/"),
        ("told", entry.told),
    ]
    if not sub.is_letter:
        rows.insert(3, ("advice", f"{sub.slug} — {title}" if title else sub.slug or "(none)"))
    say(f"{entry.id} ({entry.state})  {entry.shown}")
    for label, value in rows:
        if value:
            say(f"{label + ':':<11}{value}")
    if entry.state == PENDING and sub.is_letter:
        proposed_title, signature = answer.proposals(settings, entry)
        say(f"{'title:':<11}{proposed_title}  (proposed; --title changes it)")
        say(f"{'signed:':<11}{signature}  (proposed; --signature changes it)")
        for problem in answer.problems_of(settings, entry, answer.Choice()):
            say(f"{'answer:':<11}{problem.message}")
    elif entry.state == PENDING:
        for problem in review.problems_of(settings, entry, review.Choice()):
            say(f"{'accept:':<11}{problem.message}")
    say("")
    say(review.publishable_body(settings, entry))
