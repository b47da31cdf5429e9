"""Property tests: whatever the front matter and the Markdown, a build either succeeds or
reports `path:line: message` problems; it never raises anything else.

Each example rewrites one file of a small site and runs the build in memory (load, check,
assemble, render); a render cache keeps the theme's environment between examples, so only
what changed is rendered again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sovet.assemble import Options
from sovet.content.schema import ANSWER, COMMENT, PAGE, QUESTION
from sovet.pipeline import load_site, render_site
from sovet.problems import BuildFailed
from sovet.render.cache import RenderCache
from tests.conftest import MINIMAL_TOML, write_files
from tests.hostile.vectors import VECTORS

PROBLEM = re.compile(r"^[^:\n]+:[1-9]\d*: \S[^\n]*$")
NOW = dt.datetime(2026, 11, 25, 12)
FILES = {
    "question": "content/advice/a/question.md",
    "answer": "content/advice/a/answer.md",
    "comment": "content/advice/a/comments/c2.md",
    "page": "content/pages/about.md",
}
SITE = {
    "site.toml": MINIMAL_TOML + "\n[search]\nenabled = false\n",
    FILES["question"]: "---\ntitle: Вопрос\nauthor: Иван К.\ntags: [оплата]\n---\nТекст.\n",
    FILES["answer"]: "---\ndate: 2026-11-20 10:00\n---\nОтвет.\n",
    "content/advice/a/comments/c1.md": "---\nauthor: Ольга\ndate: 2026-11-21\n---\nДа.\n",
    FILES["comment"]: "---\nauthor: Антон\ndate: 2026-11-21 12:00\nreply_to: c1\n---\nНет.\n",
    FILES["page"]: "---\ntitle: О нас\n---\nМы.\n",
    "content/advice/b/question.md": "---\ntitle: Другой\nauthor: Пётр\n---\nТекст.\n",
    "content/advice/b/answer.md": "---\ndate: 2026-11-19\n---\nОтвет.\n",
}

KEYS = sorted({*QUESTION, *ANSWER, *COMMENT, *PAGE, "Title", "autor", "tag", "<<", "?", "-"})
TRICKY = [
    *("2026-11-20", "2026-11-20 10:00", "2026-11-20T10:00:00+03:00", "20.11.2026"),
    *("2026-02-30", "0001-01-01", "9999-12-31 23:59", "2026-11-20 25:00"),
    *("yes", "no", "true", "null", "~", "1.5", "12", "-3", "0x1F", "1e400", "[", "]", "{", "}"),
    *(":", "- x", "&a", "*a", "!!python/object:os.system ls", "!!binary aGk=", "'", '"', "#"),
    *("|", ">", "@", "`", "%", "---", "...", "c1", "c2", "b", "a", "main", "Main", "оплата"),
]
TEXT = st.text(max_size=12)
SCALAR = st.one_of(st.sampled_from(TRICKY), TEXT, st.integers().map(str))


@st.composite
def yaml_value(draw: st.DrawFn) -> str:
    """A value as an editor (or a cat on the keyboard) might write it."""
    scalar = draw(SCALAR)
    style = draw(st.sampled_from(["plain", "double", "single", "flow", "block", "nested"]))
    if style == "double":
        return json.dumps(scalar, ensure_ascii=draw(st.booleans()))
    if style == "single":
        return "'" + scalar.replace("'", "''") + "'"
    items = draw(st.lists(SCALAR, max_size=3))
    if style == "flow":
        return "[" + ", ".join(items) + "]"
    if style == "block":
        return "".join(f"\n  - {item}" for item in items)
    if style == "nested":
        return "{" + ", ".join(f"{item}: {scalar}" for item in items) + "}"
    return scalar


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    keys = st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=6))
    lines = [f"{draw(keys)}: {draw(yaml_value())}" for _ in range(draw(st.integers(0, 5)))]
    lines += draw(st.lists(st.sampled_from(["", "  ", "# note", "\t", "- x", "x"]), max_size=2))
    opening = draw(st.sampled_from(["---\n", "---\n", "\ufeff---\n", "--- \n", ""]))
    closing = draw(st.sampled_from(["---\n", "---\n", "...\n", "", "----\n"]))
    body = draw(st.sampled_from(["", "Текст.\n", "---\n", "x: y\n"]))
    return opening + "\n".join(lines) + "\n" + closing + body


MARKDOWN = [
    *("# ", "> ", "- ", "1. ", "* ", "**", "_", "`", "```", "~~~", "    ", "\n", "\n\n"),
    *("[", "](", ")", "![", "<", ">", "&", "&amp;", "&#", ";", "|", "---", "[^1]", "\\"),
    *("http://", "https://ex.org/", "mailto:a@b.ru", "a@b.ru", "javascript:", "«", '"', "'"),
    *("- -", "--", "...", "(c)", "т. е.", "27 000", "5 %", "\u00a0", "\u200b", "\ud7ff"),
]
BODY = st.lists(
    st.one_of(st.sampled_from(MARKDOWN), st.sampled_from(VECTORS), st.text(max_size=10)),
    max_size=25,
).map("".join)


def check(root: Path, cache: RenderCache) -> None:
    """The property: a site, or problems that each name an existing file and a line."""
    try:
        site, theme = load_site(root, Options(now=NOW))
        render_site(site, theme, cache=cache)
    except BuildFailed as failed:
        assert failed.problems
        for problem in failed.problems:
            assert PROBLEM.match(str(problem)), problem
            assert (root.parent / problem.path).exists(), problem


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[Path, RenderCache]]:
    with tempfile.TemporaryDirectory() as folder:
        yield write_files(Path(folder) / "site", dict(SITE)), RenderCache()


def rewrite(root: Path, which: str, text: str) -> None:
    for relative, original in SITE.items():  # the last example's change undone
        (root / relative).write_text(original, "utf-8")
    (root / FILES[which]).write_text(text, "utf-8")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.sampled_from(sorted(FILES)), text=front_matter())
def test_any_front_matter_builds_or_is_reported(
    site: tuple[Path, RenderCache], which: str, text: str
) -> None:
    root, cache = site
    rewrite(root, which, text + "Текст.\n")
    check(root, cache)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.sampled_from(["question", "comment", "page"]), body=BODY)
def test_any_markdown_builds_or_is_reported(
    site: tuple[Path, RenderCache], which: str, body: str
) -> None:
    root, cache = site
    header = SITE[FILES[which]].split("---\n")[1]
    rewrite(root, which, f"---\n{header}---\n{body}")
    check(root, cache)
