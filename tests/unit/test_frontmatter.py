"""Splitting front matter: every key knows its line, every mistake names one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovet.content.frontmatter import split
from sovet.problems import Problems


def read(tmp_path: Path, data: str | bytes) -> tuple[object, list[str]]:
    path = tmp_path / "question.md"
    if isinstance(data, str):
        path.write_text(data, "utf-8")
    else:
        path.write_bytes(data)
    problems = Problems()
    doc = split(path, "question.md", problems)
    return doc, [str(p) for p in problems.sorted()]


def test_keys_keep_their_lines(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "---\ntitle: Привет\n\nauthor: Иван\n---\nТело\n")
    assert problems == []
    assert doc is not None
    assert {k: v.line for k, v in doc.meta.items()} == {"title": 2, "author": 4}  # type: ignore[attr-defined]
    assert doc.body == "Тело\n"  # type: ignore[attr-defined]
    assert doc.body_line == 6  # type: ignore[attr-defined]


def test_bom_and_windows_line_ends_are_accepted(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "\ufeff---\r\ntitle: A\r\n---\r\nB\r\n".encode())
    assert problems == []
    assert doc is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "question.md:1: empty file"),
        ("title: x\n", "question.md:1: missing front matter"),
        ("---\ntitle: x\n", "question.md:1: front matter is never closed"),
        ("---\ntitle: x\nauthor: [a, b\n---\n", "question.md:4: YAML error"),
        ("---\ntitle: x\ntitle: y\n---\n", "question.md:3: 'title' is set twice (first on line 2)"),
        ("---\n- a\n- b\n---\n", "question.md:2: front matter must be"),
    ],
)
def test_mistakes_name_their_line(tmp_path: Path, text: str, expected: str) -> None:
    _, problems = read(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith(expected), problems


def test_non_utf8_names_the_likely_encoding(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "---\ntitle: Привет, мир\n---\nтекст\n".encode("cp1251"))
    assert doc is None
    assert problems == ["question.md:2: not UTF-8 (it looks like windows-1251); save it as UTF-8"]


def test_huge_file_is_refused(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "---\ntitle: x\n---\n" + "а" * (3 * 1024 * 1024))
    assert doc is None
    assert "over 5 MB are refused" in problems[0]
