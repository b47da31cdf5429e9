"""The key tables: required keys, types, unknown keys with a did-you-mean, each with its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sovet.content import schema
from sovet.content.frontmatter import split
from sovet.problems import Problems


def check(tmp_path: Path, front: str, table: schema.Schema) -> tuple[dict[str, object], list[str]]:
    path = tmp_path / "file.md"
    path.write_text(f"---\n{front}---\nbody\n", "utf-8")
    problems = Problems()
    doc = split(path, "file.md", problems)
    assert doc is not None
    values, _ = schema.check(doc, table, problems)
    return values, [str(p) for p in problems.sorted()]


def test_valid_question(tmp_path: Path) -> None:
    values, problems = check(
        tmp_path,
        "title: Да\nauthor: Иван К.\ndate: 2015-02-20\ntags: [оплата, сроки]\nrelated: [a-b]\n",
        schema.QUESTION,
    )
    assert problems == []
    assert values["title"] == "Да"  # YAML 1.1 would read this as true; text keys keep the words
    assert values["date"] == dt.date(2015, 2, 20)
    assert values["tags"] == ["оплата", "сроки"]


def test_dates_with_and_without_time(tmp_path: Path) -> None:
    values, problems = check(
        tmp_path, "date: 2015-02-27 10:30\nupdated: 2015-03-01\n", schema.ANSWER
    )
    assert problems == []
    assert values["date"] == dt.datetime(2015, 2, 27, 10, 30)
    assert values["updated"] == dt.date(2015, 3, 1)


@pytest.mark.parametrize(
    ("front", "table", "expected"),
    [
        ("author: x\n", schema.QUESTION, "file.md:1: missing required key 'title'"),
        (
            "title: x\nauthor: y\ntitel: z\n",
            schema.QUESTION,
            "file.md:4: unknown key 'titel' (did you mean \"title\"?)",
        ),
        (
            "title: x\nauthor: y\ntags: оплата\n",
            schema.QUESTION,
            "file.md:4: 'tags': expected a list",
        ),
        (
            "title: [a]\nauthor: y\n",
            schema.QUESTION,
            "file.md:2: 'title': expected text, got a list",
        ),
        (
            "title: x\nauthor: y\nrelated: [Bad Slug]\n",
            schema.QUESTION,
            "file.md:4: 'related': 'Bad Slug' is not a valid id",
        ),
        ("date: 27.02.2015\n", schema.ANSWER, "file.md:2: 'date': expected a date like 2015-02-27"),
        ("date: 2015-02-30\n", schema.ANSWER, "file.md:2: 'date': expected a date"),
        (
            "date: 2015-02-27\ndraft: yes please\n",
            schema.ANSWER,
            "file.md:3: 'draft': expected true or false",
        ),
        (
            "author: x\ndate: 2015-02-27\nreply_to: Мой\n",
            schema.COMMENT,
            "file.md:4: 'reply_to': 'Мой' is not a valid id",
        ),
        ("title:\n", schema.PAGE, "file.md:2: 'title' is required and must not be empty"),
        ("title: x\nmenu: first\n", schema.PAGE, "file.md:3: 'menu': expected a whole number"),
    ],
)
def test_each_mistake_with_its_line(
    tmp_path: Path, front: str, table: schema.Schema, expected: str
) -> None:
    _, problems = check(tmp_path, front, table)
    assert any(p.startswith(expected) for p in problems), problems
