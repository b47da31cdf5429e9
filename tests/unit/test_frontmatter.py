"""Splitting front matter: every key knows its line, every mistake names one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sovet.content import frontmatter
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
        ("---\ntitle: x\nauthor: [a, b\n---\n", "question.md:3: the list opened on this line"),
        ("---\ntitle: x\ntitle: y\n---\n", "question.md:3: 'title' is set twice (first on line 2)"),
        ("---\n- a\n- b\n---\n", "question.md:2: front matter must be"),
    ],
)
def test_mistakes_name_their_line(tmp_path: Path, text: str, expected: str) -> None:
    _, problems = read(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith(expected), problems


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "title: Вопрос: коллега присваивает мои идеи\nauthor: Иван К.",
            '2: a title with a colon must be in quotes: title: "Вопрос: коллега присваивает '
            'мои идеи" (YAML error: mapping values are not allowed in this context)',
        ),
        (
            "title: x\ntags:\n\t- оплата",
            "4: indent with spaces, not tabs (YAML error: found character that cannot start",
        ),
        (
            'title: "Вопрос\nauthor: Иван К.',
            '2: the quote opened on this line is never closed: write title: "Вопрос" (YAML',
        ),
        (
            'title: "Он сказал "нет""\nauthor: Иван К.',
            "2: a quote inside a value in quotes ends it early: use «ёлочки» inside, or quotes "
            "of the other kind around it: title: 'Он сказал \"нет\"' (YAML",
        ),
        (
            "title: x\ntags:\nоплата\nписьма",
            "4: 'оплата' is not a 'key: value' line: write a list as tags: [one, two], or put "
            "'- ' before each item (YAML",
        ),
        (
            "title: [Важно] клиент молчит",
            "2: a value starting with '[' is read as a list, so it must be in quotes: "
            'title: "[Важно] клиент молчит" (YAML',
        ),
        ("author: @ivan", "2: a value starting with '@' must be in quotes: author: \"@ivan\""),
        ("title:Вопрос\nauthor: Иван К.", "2: put a space after the colon: title: Вопрос"),
        ("title: x\n  author: y", "3: 'author' is indented: every key starts at the beginning"),
        (
            "title: Совет #12\nauthor: Иван К.",
            "2: 'title': the words from '#' on are read as a YAML comment and dropped; put the "
            'whole value in quotes: title: "Совет #12"',
        ),
    ],
)
def test_yaml_mistakes_say_what_to_write(tmp_path: Path, front: str, expected: str) -> None:
    _, problems = read(tmp_path, f"---\n{front}\n---\nТекст.\n")
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"question.md:{expected}"), problems


def test_a_comment_after_a_date_or_a_quoted_title_is_fine(tmp_path: Path) -> None:
    _, problems = read(tmp_path, '---\ntitle: "Совет #12" # номер\ndate: 2026-11-20 # был\n---\n')
    assert problems == []


def test_non_utf8_names_the_likely_encoding(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "---\ntitle: Привет, мир\n---\nтекст\n".encode("cp1251"))
    assert doc is None
    assert problems == ["question.md:2: not UTF-8 (it looks like windows-1251); save it as UTF-8"]


def test_huge_file_is_refused(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "---\ntitle: x\n---\n" + "а" * (3 * 1024 * 1024))
    assert doc is None
    assert "over 5 MB are refused" in problems[0]


KEYS = ["title", "date", "tags", "draft", "x"]
VALUES = [
    "Оплата после сдачи",
    "2026-11-20 10:00",
    "2026-11-20",
    "2026-11-20T10:00:30",
    "true",
    "no",
    "~",
    "null",
    "",
    "12",
    "0x1f",
    "1.5",
    "[правки, договор]",
    "[]",
    "[ ]",
    "[a,b]",
    "[a, [b]]",
    "[a, b",
    "[a:b, c]",
    "[a #b]",
    "[a}b]",
    "[a'b]",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "a:",
    "'кавычки'",
    '"кавычки"',
    "- a",
    "-5",
    "@user",
    "50%",
    "http://example.org/a?b=c",
    "*alias",
    "&anchor x",
    "!!str 5",
    "|",
    ">",
    "a ]",
    "a\u2028b",
    "a\tb",
    "Привет,  мир  ",
]


def _shape(node: object) -> object:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return ("seq", [_shape(item) for item in node.value])
    assert isinstance(node, yaml.ScalarNode)
    return (node.tag, node.value)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES)), max_size=6))
def test_plain_lines_read_as_yaml_reads_them(pairs: list[tuple[str, str]]) -> None:
    """The quick reader of `key: value` lines gives what PyYAML gives, or leaves it to PyYAML."""
    lines = [f"{key}: {value}" for key, value in pairs]
    quick = frontmatter._plain_lines(lines)
    if quick is None:
        return
    problems = Problems()
    full = frontmatter._parse_yaml("\n".join(lines), "x.md", problems)
    assert full is not None and not problems, lines
    assert {k: (v.line, _shape(v.node)) for k, v in quick.items()} == {
        k: (v.line, _shape(v.node)) for k, v in full.items()
    }, lines
    for key in quick:
        assert quick[key].python() == full[key].python(), lines


def test_plain_lines_take_the_usual_front_matter() -> None:
    quick = frontmatter._plain_lines(["title: Оплата", "tags: [правки, договор]", "draft: true"])
    assert quick is not None and quick["draft"].python() is True and quick["tags"].line == 3
    assert frontmatter._plain_lines(["title: 'Оплата'"]) is None
