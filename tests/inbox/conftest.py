"""A small site for the inbox: two answered advices with comments (one hidden), one without
an answer; the fixtures' form service names its fields `name` and `message`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sovet import cli
from tests.conftest import MINIMAL_TOML, write_files
from tests.e2e.test_serve import serving

FIXTURES = Path(__file__).resolve().parent / "fixtures"

SITE_TOML = (
    MINIMAL_TOML
    + """
[comments]
form_action = "https://forms.example.org/comments"

[inbox]
max_links = 3
fields = { name = "author", message = "body" }
"""
)


def inbox_site(root: Path) -> Path:
    return write_files(
        root,
        {
            "site.toml": SITE_TOML,
            "content/advice/first/question.md": "---\ntitle: Первый совет\nauthor: Иван К.\n---\nВопрос.\n",
            "content/advice/first/answer.md": "---\ndate: 2026-11-20 10:00\n---\nОтвет.\n",
            "content/advice/first/comments/olga-1.md": "---\nauthor: Ольга\ndate: 2026-11-20 12:00\n---\nСпасибо!\n",
            "content/advice/first/comments/hidden-1.md": "---\nauthor: Скрытый\ndate: 2026-11-20 13:00\nhidden: true\n---\nУдалено.\n",
            "content/advice/second/question.md": "---\ntitle: Сдали проект, а оплаты нет\nauthor: Марина Л.\n---\nВопрос.\n",
            "content/advice/second/answer.md": "---\ndate: 2026-11-19 10:00\n---\nОтвет.\n",
            "content/advice/unanswered/question.md": "---\ntitle: Без ответа\nauthor: А.\n---\nВопрос.\n",
        },
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return inbox_site(tmp_path / "site")


def build_site(site: Path, out: Path) -> None:
    """A build in this process (no interpreter to start), as `build` would make it."""
    code = cli.main(
        [
            "build",
            "--site",
            str(site),
            "--out",
            str(out),
            "--clock",
            "2026-11-25",
            "-q",
            "--jobs",
            "1",
        ]
    )
    assert code == 0


def import_all(site: Path) -> None:
    assert (
        cli.main(
            ["inbox", "import", *map(str, sorted(FIXTURES.iterdir())), "--site", str(site), "-q"]
        )
        == 1
    )


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(site: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """`python build.py inbox ARGS --site SITE` in this process: (exit code, stdout, stderr)."""

    def inbox(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main(["inbox", *args, "--site", str(site)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return inbox


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A site with every fixture imported, served on a free port."""
    site = inbox_site(tmp_path / "site")
    import_all(site)
    with serving(site) as base:
        yield base, site
        assert not (site / "output").exists()
