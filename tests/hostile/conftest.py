"""A hostile column, built once: every vector of the corpus as a reader's comment, and hostile
names and titles where readers' strings go (signatures, commenters, titles, topics)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.conftest import browser, watched  # noqa: F401  (fixtures for this folder)
from tests.conftest import MINIMAL_TOML, run_build, write_files
from tests.hostile.vectors import NAMES, VECTORS

CLOCK = "2026-11-25T12:00"
DISCUSSION = "obsuzhdenie"


@dataclass(frozen=True)
class HostileSite:
    site: Path
    out: Path


def quoted(text: str) -> str:
    """A YAML scalar for any text: JSON strings are YAML double-quoted scalars."""
    return json.dumps(text, ensure_ascii=False)


def hostile_files() -> dict[str, str]:
    files = {"site.toml": MINIMAL_TOML + '\n[comments]\nemail = "editors@example.org"\n'}
    for number, name in enumerate(NAMES):
        folder = f"content/advice/name-{number}"
        files[f"{folder}/question.md"] = (
            f"---\ntitle: {quoted(name)}\nauthor: {quoted(name)}\n"
            f"tags: [{quoted(f'тема {number} {name}')}]\ndescription: {quoted(name)}\n---\n"
            "Вопрос читателя.\n"
        )
        files[f"{folder}/answer.md"] = f"---\ndate: 2026-11-{10 + number:02d} 10:00\n---\nОтвет.\n"
        files[f"{folder}/comments/c1.md"] = (
            f"---\nauthor: {quoted(name)}\ndate: 2026-11-21 10:00\n---\n{name}\n"
        )
    folder = f"content/advice/{DISCUSSION}"
    files[f"{folder}/question.md"] = "---\ntitle: Обсуждение\nauthor: Иван К.\n---\nВопрос.\n"
    files[f"{folder}/answer.md"] = "---\ndate: 2026-11-20 10:00\n---\nОтвет.\n"
    for number, vector in enumerate(VECTORS):
        reply = f"reply_to: v{number - 1:03d}\n" if number % 3 == 2 else ""
        files[f"{folder}/comments/v{number:03d}.md"] = (
            f"---\nauthor: {quoted(NAMES[number % len(NAMES)])}\n"
            f"date: 2026-11-21 {number // 60:02d}:{number % 60:02d}\n{reply}---\n{vector}\n"
        )
    return files


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    root = tmp_path_factory.mktemp("hostile")
    site = write_files(root / "site", hostile_files())
    out = root / "out"
    result = run_build("build", "--site", str(site), "--out", str(out), "--clock", CLOCK)
    assert result.returncode == 0, result.stderr
    return HostileSite(site, out)
