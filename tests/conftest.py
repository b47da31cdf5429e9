"""Shared fixtures: the sample column built once, and small sites written on the fly."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

PROJECT = Path(__file__).resolve().parent.parent
CLOCK = "2026-11-25T12:00"

MINIMAL_TOML = """\
title = "Test column"
base_url = "https://example.org/"
language = "ru"
timezone = "Europe/Moscow"
columnist = "Илья"

[rubrics.main]
title = "Main"
signature = "Signed."
"""


def run_build(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS` as a user would; output captured as text."""
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write a site from {relative path: text}; a missing site.toml becomes a minimal one."""
    if not (root / "site.toml").exists():
        files = {"site.toml": MINIMAL_TOML, **files}
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    return root


def advice_files(
    slug: str, *, date: str = "2026-11-20 10:00", title: str = "Заголовок"
) -> dict[str, str]:
    return {
        f"content/advice/{slug}/question.md": f"---\ntitle: {title}\nauthor: Иван К.\n---\nВопрос.\n",
        f"content/advice/{slug}/answer.md": f"---\ndate: {date}\n---\nОтвет.\n",
    }


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample column, built once for the whole session."""
    out = tmp_path_factory.mktemp("sample") / "output"
    result = run_build("build", "--out", str(out), "--clock", CLOCK)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture
def page(sample_out: Path) -> Callable[[str], BeautifulSoup]:
    """Parse a built page by its URL path, e.g. page('/weekly/')."""

    def parse(url: str) -> BeautifulSoup:
        path = sample_out / url.lstrip("/")
        if url.endswith("/"):
            path = path / "index.html"
        return BeautifulSoup(path.read_text("utf-8"), "lxml")

    return parse
