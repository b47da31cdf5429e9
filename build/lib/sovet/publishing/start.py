"""`sovet init DIR`: a new column of its own that builds at once.

The column is made from the starter files shipped with sovet: a site.toml where every key has
a one-line comment, one example advice with a reader's comment and the columnist's reply, a
page, a .gitignore, and CI files for GitHub Actions and GitLab CI. Dates are set to the moment
`init` runs, so the example is published by the first build. Nothing is ever written over an
existing file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from ..safe_files import Folder

STARTER = Path(__file__).resolve().parent / "starter-files"
LANGUAGES = ("ru", "en")
TITLES = {"ru": "Еженедельный совет", "en": "Weekly advice"}
ZONES = {"ru": "Europe/Moscow", "en": "UTC"}
# Starter files kept without a leading dot (package data drops hidden files), and where
# each goes in the new column.
COMMON = {
    "gitignore": ".gitignore",
    "github-workflow.yml": ".github/workflows/sovet.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
}


class InitError(Exception):
    """The folder cannot take a new column; the message says why and what to do."""


@dataclass(frozen=True)
class Started:
    folder: Path
    written: tuple[PurePosixPath, ...]
    kept: tuple[PurePosixPath, ...]  # already there (with --force): left as they were


def init_column(
    folder: Path,
    language: str = "ru",
    title: str | None = None,
    force: bool = False,
    now: dt.datetime | None = None,
) -> Started:
    """Write a new column into FOLDER (made if missing; refused if it holds anything,
    unless FORCE, and even then no file is written over)."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file: give a folder for the new column")
    if folder.is_dir() and any(p.name != ".git" for p in folder.iterdir()) and not force:
        raise InitError(
            f"{folder} is not empty: choose a new folder, or add --force to add the column's "
            "files beside what is there (no file is ever written over)"
        )
    files = _files(language, title or TITLES[language], now)
    written, kept = [], []
    for relative, text in files.items():
        try:
            with Folder.open(folder, relative.parent, create=True) as inside:
                inside.create(relative.name, text.encode())
        except FileExistsError:
            kept.append(relative)
            continue
        written.append(relative)
    return Started(folder, tuple(written), tuple(kept))


def _files(language: str, title: str, now: dt.datetime | None) -> dict[PurePosixPath, str]:
    """Every file of the new column, by its place in it, with the moment and title set."""
    zone = ZoneInfo(ZONES[language])
    when = (now or dt.datetime.now(zone)).astimezone(zone)
    moments = {
        "@@ASKED@@": f"{when - dt.timedelta(days=3):%Y-%m-%d}",
        "@@ANSWERED@@": f"{when:%Y-%m-%d %H:%M}",
        "@@COMMENTED@@": f"{when:%Y-%m-%d %H:%M}",
        "@@REPLIED@@": f"{when:%Y-%m-%d %H:%M}",
        "@@TITLE@@": json.dumps(title, ensure_ascii=False),  # a TOML basic string
    }
    found: dict[PurePosixPath, str] = {}
    base = STARTER / language
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        text = path.read_text("utf-8")
        for mark, value in moments.items():
            text = text.replace(mark, value)
        found[PurePosixPath(path.relative_to(base).as_posix())] = text
    for source, target in COMMON.items():
        found[PurePosixPath(target)] = (STARTER / "common" / source).read_text("utf-8")
    return found
