"""`new advice` and `new comment`: valid files with today's date, never over existing ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .content.schema import ID_RE
from .problems import Problem, did_you_mean, display_path
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


def new_advice(
    settings: Settings, title: str, author: str | None, now: dt.datetime | None = None
) -> Created:
    """A folder with question.md and a draft answer.md dated today in the site's time zone."""
    slug = urls.slug(title, MAX_SLUG)
    if not slug:
        raise ScaffoldError(Problem("title", 1, f"'{title}' has no letters or digits for a slug"))
    advice_dir = settings.content_dir / "advice"
    slug = _free_name(advice_dir, slug)
    folder = advice_dir / slug
    today = (now or dt.datetime.now(settings.zone)).astimezone(settings.zone)
    folder.mkdir(parents=True)
    question = folder / "question.md"
    answer = folder / "answer.md"
    asker = author or ("Читатель" if settings.language == "ru" else "A reader")
    question.write_text(
        f"---\ntitle: {_yaml_text(title)}\nauthor: {_yaml_text(asker)}\n"
        f"date: {today:%Y-%m-%d}\ntags: []\n---\n",
        "utf-8",
    )
    answer.write_text(f"---\ndate: {today:%Y-%m-%d} 10:00\ndraft: true\n---\n", "utf-8")
    return Created((question, answer))


def new_comment(
    settings: Settings,
    slug: str,
    author: str,
    reply_to: str | None,
    now: dt.datetime | None = None,
) -> Created:
    """comments/<id>.md with a readable id from the author's name, dated now."""
    advice_dir = settings.content_dir / "advice"
    folder = advice_dir / slug
    if not ID_RE.match(slug) or not (folder / "question.md").is_file():
        known = [p.name for p in advice_dir.iterdir()] if advice_dir.is_dir() else []
        raise ScaffoldError(Problem(slug, 1, f"no advice '{slug}'{did_you_mean(slug, known)}"))
    if not (folder / "answer.md").is_file():
        shown = display_path(folder, settings.root)
        raise ScaffoldError(
            Problem(shown, 1, "this advice has no answer.md yet: nothing to comment")
        )
    comments = folder / "comments"
    if reply_to is not None and not (comments / f"{reply_to}.md").is_file():
        known = [p.stem for p in comments.glob("*.md")] if comments.is_dir() else []
        message = f"--reply-to: no comment '{reply_to}' in {slug}{did_you_mean(reply_to, known)}"
        raise ScaffoldError(Problem(display_path(comments, settings.root), 1, message))
    stem = urls.slug(author, 30) or "comment"
    comments.mkdir(exist_ok=True)
    comment_id = _next_numbered(comments, stem)
    now = (now or dt.datetime.now(settings.zone)).astimezone(settings.zone)
    lines = ["---", f"author: {_yaml_text(author)}", f"date: {now:%Y-%m-%d %H:%M}"]
    if reply_to:
        lines.append(f"reply_to: {reply_to}")
    path = comments / f"{comment_id}.md"
    path.write_text("\n".join([*lines, "---", ""]), "utf-8")
    return Created((path,))


def _next_numbered(folder: Path, stem: str) -> str:
    """olga-1, olga-2...: the first free comment id for an author."""
    number = 1
    while (folder / f"{stem}-{number}.md").exists():
        number += 1
    return f"{stem}-{number}"
