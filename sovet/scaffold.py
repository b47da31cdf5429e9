"""`new advice` and `new comment`: valid files with today's date, never over existing ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import urls
from .content.frontmatter import split
from .content.schema import ID_RE
from .problems import Problem, Problems, did_you_mean, display_path
from .safe_files import Folder
from .settings import Settings

MAX_SLUG = 60


@dataclass(frozen=True)
class Created:
    paths: tuple[Path, ...]


class ScaffoldError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _yaml_text(value: str) -> str:
    """A YAML scalar that stays text whatever it contains ('Да', '1:2', '# x')."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _free_name(folder: Path, stem: str) -> str:
    """stem, or stem-2, stem-3... whichever does not exist yet in folder."""
    candidate, number = stem, 1
    while (folder / candidate).exists():
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


@dataclass(frozen=True)
class DraftAdvice:
    """What a new advice folder starts with: `new advice` gives a title, `inbox answer` a
    reader's letter."""

    title: str
    author: str
    received: dt.date
    question: str = ""  # the letter, as Markdown
    rubric: str = ""
    answer: str = ""  # how the answer starts, e.g. the greeting
    letter: str = ""  # the inbox id of the letter it answers


def new_advice(
    settings: Settings, title: str, author: str | None, now: dt.datetime | None = None
) -> Created:
    """A folder with question.md and a draft answer.md dated now in the site's time zone."""
    today = (now or dt.datetime.now(settings.zone)).astimezone(settings.zone)
    asker = author or reader_name(settings)
    return write_advice(settings, DraftAdvice(title, asker, today.date()), today)


def reader_name(settings: Settings) -> str:
    """The signature of a letter whose reader gave none."""
    return "Читатель" if settings.language == "ru" else "A reader"


def write_advice(settings: Settings, draft: DraftAdvice, now: dt.datetime) -> Created:
    """content/advice/<slug>/ with question.md and a draft answer.md, the slug from the title
    (or the letter's id) and the first free one: never over an existing advice."""
    slug = urls.slug(draft.title, MAX_SLUG) or (f"letter-{draft.letter}" if draft.letter else "")
    if not slug:
        raise ScaffoldError(
            Problem("title", 1, f"'{draft.title}' has no letters or digits for a slug")
        )
    slug = _free_name(settings.content_dir / "advice", slug)
    front = [f"title: {_yaml_text(draft.title)}", f"author: {_yaml_text(draft.author)}"]
    front.append(f"date: {draft.received:%Y-%m-%d}")
    if draft.rubric:
        front.append(f"rubric: {draft.rubric}")
    front.append("tags: []")
    if draft.letter:
        front.append(f'letter: "{draft.letter}"')
    question = "---\n" + "\n".join(front) + "\n---\n" + _paragraph(draft.question)
    moment = now.astimezone(settings.zone)
    answer = f"---\ndate: {moment:%Y-%m-%d %H:%M}\ndraft: true\n---\n" + _paragraph(draft.answer)
    with Folder.open(settings.content_dir, Path("advice", slug), create=True) as folder:
        return Created(
            (
                folder.create("question.md", question.encode()),
                folder.create("answer.md", answer.encode()),
            )
        )


def _paragraph(text: str) -> str:
    return text.strip("\n") + "\n" if text.strip() else ""


def new_comment(
    settings: Settings,
    slug: str,
    author: str,
    reply_to: str | None,
    now: dt.datetime | None = None,
) -> Created:
    """comments/<id>.md with a readable id from the author's name, dated now."""
    fault = comment_target(settings, slug, reply_to)
    if fault is not None:
        prefix = "--reply-to: " if fault.key == "reply_to" else ""
        raise ScaffoldError(Problem(fault.path, 1, prefix + fault.message))
    now = (now or dt.datetime.now(settings.zone)).astimezone(settings.zone)
    return Created((write_comment(settings, slug, author, reply_to, now),))


@dataclass(frozen=True)
class Fault:
    """Why a comment cannot go where it is asked to: the key at fault ("slug" or
    "reply_to"), the path `new comment` names, and what is wrong."""

    key: str
    path: str
    message: str


def comment_target(
    settings: Settings, slug: str, reply_to: str | None, hidden_ok: bool = True
) -> Fault | None:
    """What a build would say of a comment on `slug` answering `reply_to`, or None.

    A reply to a hidden comment builds (it moves up the thread); `hidden_ok=False` refuses it,
    for a reader's submission that would read out of its context.
    """
    advice_dir = settings.content_dir / "advice"
    folder = advice_dir / slug
    if not ID_RE.match(slug) or not (folder / "question.md").is_file():
        known = [p.name for p in advice_dir.iterdir()] if advice_dir.is_dir() else []
        return Fault("slug", slug, f"no advice '{slug}'{did_you_mean(slug, known)}")
    if not (folder / "answer.md").is_file():
        shown = display_path(folder, settings.root)
        return Fault("slug", shown, "this advice has no answer.md yet: nothing to comment")
    comments = folder / "comments"
    if reply_to is None:
        return None
    target = comments / f"{reply_to}.md"
    shown = display_path(comments, settings.root)
    if not ID_RE.match(reply_to) or not target.is_file():
        known = [p.stem for p in comments.glob("*.md")] if comments.is_dir() else []
        message = f"no comment '{reply_to}' in {slug}{did_you_mean(reply_to, known)}"
        return Fault("reply_to", shown, message)
    if not hidden_ok and _is_hidden(target, settings):
        message = f"comment '{reply_to}' in {slug} is hidden: reply to another or to none"
        return Fault("reply_to", display_path(target, settings.root), message)
    return None


def _is_hidden(path: Path, settings: Settings) -> bool:
    doc = split(path, display_path(path, settings.root), Problems())
    hidden = doc.meta.get("hidden") if doc else None
    try:
        return hidden is not None and hidden.python() is True
    except (yaml.YAMLError, ValueError):
        return False


def write_comment(
    settings: Settings,
    slug: str,
    author: str,
    reply_to: str | None,
    when: dt.datetime,
    body: str = "",
    role: str | None = None,
) -> Path:
    """comments/<id>.md, the id the first free one for the author's name (olga-1, olga-2)."""
    comments = settings.content_dir / "advice" / slug / "comments"
    comment_id = next_comment_id(comments, author)
    when = when.astimezone(settings.zone)
    lines = ["---", f"author: {_yaml_text(author)}", f"date: {when:%Y-%m-%d %H:%M}"]
    if reply_to:
        lines.append(f"reply_to: {reply_to}")
    if role:
        lines.append(f"role: {role}")
    text = "\n".join([*lines, "---", ""]) + (body.rstrip("\n") + "\n" if body else "")
    relative = Path("advice", slug, "comments")
    with Folder.open(settings.content_dir, relative, create=True) as folder:
        return folder.create(f"{comment_id}.md", text.encode())  # never over a comment


def next_comment_id(folder: Path, author: str) -> str:
    """olga-1, olga-2...: the first free comment id for an author."""
    stem = urls.slug(author, 30) or "comment"
    number = 1
    while (folder / f"{stem}-{number}.md").exists():
        number += 1
    return f"{stem}-{number}"
