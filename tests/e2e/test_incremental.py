"""A warm rebuild after any edit equals a cold build of the same content, byte for byte."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sovet.serve import Preview
from tests.conftest import PROJECT

Edit = Callable[[Path], list[Path]]


def append(relative: str, text: str) -> Edit:
    def edit(site: Path) -> list[Path]:
        path = site / relative
        path.write_text(path.read_text("utf-8") + text, "utf-8")
        return [path]

    return edit


def replace_in(relative: str, old: str, new: str) -> Edit:
    def edit(site: Path) -> list[Path]:
        path = site / relative
        text = path.read_text("utf-8")
        assert old in text
        path.write_text(text.replace(old, new), "utf-8")
        return [path]

    return edit


def new_comment(site: Path) -> list[Path]:
    path = site / "content/advice/klient-propal/comments/zzz-1.md"
    path.write_text(
        "---\nauthor: Новый читатель\ndate: 2026-11-24 09:00\n---\nНовая мысль.\n", "utf-8"
    )
    return [path]


def delete_advice(site: Path) -> list[Path]:
    folder = site / "content/advice/pervyi-naim"
    shutil.rmtree(folder)
    return [folder]


EDITS = {
    "comment": append("content/advice/oplata-posle-sdachi/comments/olga-1.md", "\nЕщё мысль.\n"),
    "new comment": new_comment,
    "answer": append("content/advice/klient-propal/answer.md", "\nПостскриптум.\n"),
    "question title": replace_in(
        "content/advice/klient-propal/question.md", "title: ", "title: Снова "
    ),
    "question tags": replace_in(
        "content/advice/klient-propal/question.md", "tags: [сроки,", "tags: [молчание, сроки,"
    ),
    "question rubric": replace_in(
        "content/advice/klient-propal/question.md", "rubric: negotiations\n", ""
    ),
    "page": append("content/pages/about.md", "\nЕщё абзац.\n"),
    "settings": replace_in("site.toml", "per_page = 5", "per_page = 3"),
    "rubric title": replace_in(
        "site.toml", 'title = "Жизнь студии"', 'title = "Жизнь нашей студии"'
    ),
    "template": append("themes/default/templates/page.html", "\n{# a comment #}\n"),
    "theme asset": append("themes/default/static/style.css", "\n/* changed */\n"),
    "delete advice": delete_advice,
}


def sample_copy(folder: Path) -> Path:
    """The sample column in a folder of its own, to edit."""
    site = folder / "site"
    site.mkdir()
    for name in ("site.toml", "content", "themes"):
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        else:
            shutil.copy(source, site / name)
    return site


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Preview]:
    site = sample_copy(tmp_path_factory.mktemp("warm"))
    preview = Preview(site, "https://sovet.example.org/")
    assert preview.rebuild(), preview.problems
    return site, preview


@pytest.mark.parametrize("kind", list(EDITS))
def test_warm_rebuild_equals_cold_build(warm: tuple[Path, Preview], kind: str) -> None:
    site, preview = warm
    for path in EDITS[kind](site):
        preview.changed_path(path)
    assert preview.rebuild(), preview.problems
    cold = Preview(site, "https://sovet.example.org/")
    assert cold.rebuild(), cold.problems
    assert sorted(preview.files) == sorted(cold.files)
    differing = [name for name in cold.files if preview.files[name] != cold.files[name]]
    assert differing == []


def page_on_the_archive(site: Path) -> list[Path]:
    """A page on the address of the site's own weekly archive."""
    path = site / "content/pages/weekly.md"
    path.write_text("---\ntitle: Архив\n---\nСтраница.\n", "utf-8")
    return [path]


BREAKING = {
    "letterless tag": replace_in(
        "content/advice/klient-propal/question.md", "tags: [сроки,", "tags: ['!!!', сроки,"
    ),
    "answer without a date": replace_in("content/advice/klient-propal/answer.md", "date:", "dat:"),
    "page on a reserved address": page_on_the_archive,
}


@pytest.mark.parametrize("kind", list(BREAKING))
def test_warm_rebuild_reports_what_a_cold_build_reports(tmp_path: Path, kind: str) -> None:
    site = sample_copy(tmp_path)
    preview = Preview(site, "https://sovet.example.org/")
    assert preview.rebuild(), preview.problems
    for path in BREAKING[kind](site):
        preview.changed_path(path)
    assert not preview.rebuild()
    cold = Preview(site, "https://sovet.example.org/")
    assert not cold.rebuild()
    assert preview.problems == cold.problems
    assert preview.problems
