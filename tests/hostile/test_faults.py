"""Fault injection: broken and hostile inputs, one at a time, each through the real command line.

Every case copies a good site, breaks one thing and builds into an output folder that a good
build made. Each must end with exit code 1, the expected `path:line: message`, every line of
the report in that form, no traceback, and the previous output byte for byte as it was.
`sovet.cli.main` runs in this process (a subprocess per case would cost a second each); the
same reports through a real subprocess are checked in tests/e2e/test_bad_input.py.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sovet import cli
from tests.conftest import MINIMAL_TOML, write_files

CLOCK = "2026-11-25T12:00"
PROBLEM = re.compile(r"^(?P<path>[^:\n]+):(?P<line>[1-9]\d*): (?P<message>\S.*)$")
SUMMARY = re.compile(r"^\d+ problems?; nothing was written\.$")
ECHO = re.compile(r"\(([^,()]+), see above\)$")

Q = "content/advice/alpha/question.md"
A = "content/advice/alpha/answer.md"
OLGA = "content/advice/alpha/comments/olga-1.md"
ANTON = "content/advice/alpha/comments/anton-1.md"
PAGE = "content/pages/about.md"
GOOD_Q = "---\ntitle: Сдали проект\nauthor: Марина Л.\ntags: [оплата]\n---\nВопрос.\n"
GOOD_COMMENT = "---\nauthor: Ольга\ndate: 2026-11-21 12:40\n---\nПро звонок.\n"
SECRET = "---\nauthor: Чужой\ndate: 2026-11-21\n---\nСЕКРЕТ из-за пределов сайта\n"

BASE = {
    Q: GOOD_Q,
    A: "---\ndate: 2026-11-20 10:00\n---\nОтвет.\n",
    OLGA: GOOD_COMMENT,
    ANTON: "---\nauthor: Антон\ndate: 2026-11-21 13:00\nreply_to: olga-1\n---\nСогласен.\n",
    "content/advice/beta/question.md": "---\ntitle: Второй\nauthor: Иван К.\n---\nВопрос.\n",
    "content/advice/beta/answer.md": "---\ndate: 2026-11-19 10:00\n---\nОтвет.\n",
    PAGE: "---\ntitle: О нас\nmenu: 1\n---\nМы.\n",
    "static/robots-extra.txt": "static file\n",
}


def fifo(path: str) -> Callable[[Path], None]:
    return lambda site: os.mkfifo(site / path)


def symlink(path: str, target: str | None = None) -> Callable[[Path], None]:
    """PATH becomes a symlink to TARGET (default: a file outside the site)."""

    def make(site: Path) -> None:
        link = site / path
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.exists():
            link.unlink()
        outside = site.parent / "outside"
        outside.mkdir(exist_ok=True)
        (outside / "secret.md").write_text(SECRET, "utf-8")
        link.symlink_to(target or (outside / "secret.md"))

    return make


def symlinked_folder(path: str) -> Callable[[Path], None]:
    def make(site: Path) -> None:
        outside = site.parent / "outside-folder"
        (outside / "comments").mkdir(parents=True, exist_ok=True)
        (outside / "question.md").write_text(GOOD_Q, "utf-8")
        (outside / "answer.md").write_text("---\ndate: 2026-11-20\n---\nx\n", "utf-8")
        (site / path).symlink_to(outside)

    return make


def toml(extra: str = "", replace: tuple[str, str] = ("", "")) -> dict[str, str]:
    return {"site.toml": MINIMAL_TOML.replace(*replace) + extra}


@dataclass(frozen=True)
class Case:
    name: str
    expect: str  # the start of one reported line: "path:line: message"
    files: dict[str, str | bytes] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    out: str | None = None  # --out, relative to the case's site; default: the shared output


CASES = [
    # Front matter and files
    Case("unclosed", f"{Q}:1: front matter is never closed", {Q: "---\ntitle: x\nauthor: y\n"}),
    Case("no-front-matter", f"{Q}:1: missing front matter", {Q: "title: x\n"}),
    Case("empty-file", f"{Q}:1: empty file", {Q: ""}),
    Case("blank-file", f"{Q}:1: empty file", {Q: "\n   \n\n"}),
    Case("bom", f"{Q}:3: unknown key 'autor'", {Q: "\ufeff---\ntitle: t\nautor: a\n---\n"}),
    Case(
        "yaml-syntax",
        f"{Q}:3: the list opened on this line is never closed: end it with ']' on this line "
        "(YAML error: did not find expected ',' or ']' (while parsing a flow sequence "
        "that starts on line 3))",
        {Q: "---\ntitle: t\nauthor: [unclosed\n---\n"},
    ),
    Case(
        "yaml-tab",
        f"{Q}:3: indent with spaces, not tabs (YAML error",
        {Q: "---\ntitle: t\n\tauthor: a\n---\n"},
    ),
    Case(
        "yaml-duplicate-key",
        f"{Q}:4: 'title' is set twice (first on line 2)",
        {Q: "---\ntitle: t\nauthor: a\ntitle: u\n---\n"},
    ),
    Case("yaml-not-mapping", f"{Q}:2: front matter must be", {Q: "---\n- a\n- b\n---\n"}),
    Case(
        "yaml-deep",
        f"{Q}:2: YAML error",
        {Q: "---\ntitle: " + "[" * 5000 + "\nauthor: a\n---\n"},
    ),
    Case(
        "yaml-python-tag",
        f"{A}:2: 'date': expected a date like 2015-02-27 or 2015-02-27 10:30, got 'ls'",
        {A: "---\ndate: !!python/object/apply:os.system ls\n---\n"},
    ),
    Case(
        "windows-1251",
        f"{Q}:2: not UTF-8 (it looks like windows-1251); save it as UTF-8",
        {Q: "---\ntitle: Привет, мир\nauthor: Иван\n---\nПисьмо\n".encode("cp1251")},
    ),
    Case(
        "koi8-r",
        f"{Q}:2: not UTF-8 (it looks like KOI8-R)",
        {Q: "---\ntitle: Привет, мир\nauthor: Иван\n---\nПисьмо\n".encode("koi8_r")},
    ),
    Case(
        "utf-16",
        f"{Q}:1: not UTF-8 (it looks like UTF-16)",
        {Q: GOOD_Q.encode("utf-16")},
    ),
    Case(
        "binary",
        f"{OLGA}:1: not UTF-8 (it looks like latin-1 or a binary file)",
        {OLGA: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"},
    ),
    Case(
        "nul-byte",
        f"{OLGA}:6: the control character U+0000 at column 4 cannot be published",
        {OLGA: GOOD_COMMENT + "Про\x00 звонок\n"},
    ),
    Case(
        "control-character",
        f"{OLGA}:6: the control character U+001B at column 1 cannot be published",
        {OLGA: GOOD_COMMENT + "\x1b[31mкрасный\n"},
    ),
    Case(
        "control-character-reference",
        f"{OLGA}:6: '&#14;', the control character U+000E, at column 7 cannot be published",
        {OLGA: GOOD_COMMENT + "Текст &#14; тут\n"},
    ),
    Case(
        "escaped-control-character",
        f"{Q}:2: 'title': contains the control character U+0007",
        {Q: '---\ntitle: "звонок\\x07"\nauthor: a\n---\n'},
    ),
    Case(
        "huge-file",
        f"{OLGA}:1: file is 5.1 MB; files over 5 MB are refused",
        {OLGA: GOOD_COMMENT + "а" * (2_700_000)},
    ),
    Case(
        "fifo",
        "content/advice/alpha/comments/pipe.md:1: not a regular file",
        {},
        fifo("content/advice/alpha/comments/pipe.md"),
    ),
    # Keys and values
    Case("missing-key", f"{Q}:1: missing required key 'author'", {Q: "---\ntitle: t\n---\n"}),
    Case(
        "empty-value",
        f"{OLGA}:2: 'author' is required and must not be empty",
        {OLGA: "---\nauthor: '  '\ndate: 2026-11-21\n---\nx\n"},
    ),
    Case(
        "unknown-key",
        f"{Q}:3: unknown key 'autor' (did you mean \"author\"?)",
        {Q: "---\ntitle: t\nautor: a\n---\n"},
    ),
    Case(
        "key-case",
        f"{Q}:2: unknown key 'Title' (did you mean \"title\"?)",
        {Q: "---\nTitle: t\nauthor: a\n---\n"},
    ),
    Case(
        "text-is-list",
        f"{Q}:2: 'title': expected text, got a list",
        {Q: "---\ntitle: [a, b]\nauthor: a\n---\n"},
    ),
    Case(
        "list-is-text",
        f"{Q}:4: 'tags': expected a list like [one, two], got 'оплата'",
        {Q: "---\ntitle: t\nauthor: a\ntags: оплата\n---\n"},
    ),
    Case(
        "bool-is-text",
        f"{A}:3: 'draft': expected true or false, got 'yes'",
        {A: "---\ndate: 2026-11-20\ndraft: 'yes'\n---\n"},
    ),
    Case(
        "int-is-float",
        f"{PAGE}:3: 'menu': expected a whole number, got '1.5'",
        {PAGE: "---\ntitle: t\nmenu: 1.5\n---\n"},
    ),
    Case(
        "date-format",
        f"{A}:2: 'date': expected a date like 2015-02-27 or 2015-02-27 10:30, got '20.11.2026'",
        {A: "---\ndate: 20.11.2026\n---\n"},
    ),
    Case(
        "date-impossible",
        f"{A}:2: 'date': expected a date like 2015-02-27 or 2015-02-27 10:30, got '2026-02-30'",
        {A: "---\ndate: 2026-02-30\n---\n"},
    ),
    Case(
        "date-year",
        f"{OLGA}:3: 'date': year 1 is out of range",
        {OLGA: "---\nauthor: a\ndate: 0001-01-01 10:00\n---\n"},
    ),
    Case(
        "id-uppercase",
        f"{ANTON}:4: 'reply_to': 'Olga-1' is not a valid id (did you mean 'olga-1'?)",
        {ANTON: "---\nauthor: a\ndate: 2026-11-21\nreply_to: Olga-1\n---\n"},
    ),
    # Across files
    Case(
        "unknown-rubric",
        f"{Q}:4: unknown rubric 'mian' (did you mean \"main\"?)",
        {Q: "---\ntitle: t\nauthor: a\nrubric: mian\n---\n"},
    ),
    Case(
        "related-invalid-id",
        f"{Q}:4: 'related': 'bета' is not a valid id",
        {Q: "---\ntitle: t\nauthor: a\nrelated: [bета]\n---\n"},
    ),
    Case(
        "related-missing-id",
        f"{Q}:4: related: no advice 'gamma'",
        {Q: "---\ntitle: t\nauthor: a\nrelated: [beta, gamma]\n---\n"},
    ),
    Case(
        "related-itself",
        f"{Q}:4: related: 'alpha' is this advice itself",
        {Q: "---\ntitle: t\nauthor: a\nrelated: [alpha]\n---\n"},
    ),
    Case(
        "reply-target-missing",
        f"{ANTON}:4: reply_to 'olga-2': no comment with that id in this advice",
        {ANTON: "---\nauthor: a\ndate: 2026-11-21\nreply_to: olga-2\n---\n"},
    ),
    Case(
        "reply-cycle",
        f"{OLGA}:4: reply_to forms a cycle: olga-1 -> anton-1 -> olga-1",
        {OLGA: "---\nauthor: a\ndate: 2026-11-21\nreply_to: anton-1\n---\n"},
    ),
    Case(
        "reply-to-itself",
        f"{OLGA}:4: reply_to forms a cycle: olga-1 -> olga-1",
        {OLGA: "---\nauthor: a\ndate: 2026-11-21\nreply_to: olga-1\n---\n"},
    ),
    Case(
        "comment-without-answer",
        "content/advice/gamma/comments/c1.md:1: a comment on an advice that has no answer.md",
        {
            "content/advice/gamma/question.md": GOOD_Q,
            "content/advice/gamma/comments/c1.md": GOOD_COMMENT,
        },
    ),
    Case(
        "no-question",
        "content/advice/gamma/question.md:1: missing: every advice needs question.md",
        {"content/advice/gamma/answer.md": "---\ndate: 2026-11-20\n---\n"},
    ),
    Case(
        "two-advices-one-address",
        "content/advice/alpha/question.md:1: address /20261120/ is also the address of",
        {
            **toml(replace=('columnist = "Илья"', 'columnist = "Илья"\npermalink = "/{date}/"')),
            "content/advice/beta/answer.md": "---\ndate: 2026-11-20 18:00\n---\n",
        },
    ),
    Case(
        "reserved-page",
        "content/pages/static.md:1: page name 'static' is taken by the site's own /static/",
        {"content/pages/static.md": "---\ntitle: t\n---\n"},
    ),
    Case(
        "tags-share-address",
        "content/advice/beta/question.md:4: tag 'письма-клиенту' and tag 'письма клиенту' "
        "share the address /tags/pisma-klientu/",
        {
            Q: "---\ntitle: t\nauthor: a\ntags: [письма клиенту]\n---\n",
            "content/advice/beta/question.md": "---\ntitle: t\nauthor: a\ntags: [письма-клиенту]\n---\n",
        },
    ),
    # Names: case, suffixes, strays
    Case(
        "advice-folders-differ-in-case",
        "content/advice/Alpha:1: advice folder name 'Alpha' must be lowercase ASCII letters, "
        "digits and hyphens: rename it to 'alpha'; 'alpha' exists too",
        {"content/advice/Alpha/question.md": GOOD_Q},
    ),
    Case(
        "comment-ids-differ-in-case",
        "content/advice/alpha/comments/Olga-1.md:1: comment file name 'Olga-1' must be "
        "lowercase ASCII letters, digits and hyphens: rename it to 'olga-1'; 'olga-1.md' exists",
        {"content/advice/alpha/comments/Olga-1.md": GOOD_COMMENT},
    ),
    Case(
        "bad-comment-id",
        "content/advice/alpha/comments/olga_2.md:1: comment file name 'olga_2' must be",
        {"content/advice/alpha/comments/olga_2.md": GOOD_COMMENT},
    ),
    Case(
        "answer-in-capitals",
        "content/advice/beta/Answer.md:1: 'Answer.md' is not read: name it 'answer.md'",
        {"content/advice/beta/Answer.md": "---\ndate: 2026-11-20\n---\n"},
    ),
    Case(
        "comment-suffix",
        "content/advice/alpha/comments/olga-2.markdown:1: comment files end in '.md'",
        {"content/advice/alpha/comments/olga-2.markdown": GOOD_COMMENT},
    ),
    Case(
        "stray-page",
        "content/contacts.md:1: unexpected file 'contacts.md' is not read",
        {"content/contacts.md": "---\ntitle: t\n---\n"},
    ),
    Case(
        "static-file-named-like-a-folder",
        "static/tags:1: /tags/ is a folder of the site",
        {"static/tags": "x"},
    ),
    # Symlinks
    Case(
        "symlink-comment-outside",
        "content/advice/alpha/comments/leak.md:1: symlink to",
        {},
        symlink("content/advice/alpha/comments/leak.md"),
    ),
    Case(
        "symlink-device",
        "content/advice/alpha/comments/zero.md:1: symlink to '/dev/zero' points outside the site",
        {},
        symlink("content/advice/alpha/comments/zero.md", "/dev/zero"),
    ),
    Case(
        "symlink-folder-outside",
        "content/advice/elsewhere:1: symlink to",
        {},
        symlinked_folder("content/advice/elsewhere"),
    ),
    Case("symlink-static-outside", "static/passwd:1: symlink to", {}, symlink("static/passwd")),
    Case(
        "symlink-theme-outside",
        "themes/own/templates/page.html:1: symlink to",
        {"themes/own/locales/README": "x"},
        symlink("themes/own/templates/page.html"),
    ),
    Case(
        "symlink-into-git",
        "content/advice/alpha/comments/git.md:1: symlink to",
        {".git/config": "[remote]\nurl = https://token@example.org/\n"},
        symlink("content/advice/alpha/comments/git.md", "../../../../.git/config"),
    ),
    Case(
        "symlink-nowhere",
        "content/advice/alpha/comments/gone.md:1: symlink to 'nowhere.md' leads nowhere",
        {},
        symlink("content/advice/alpha/comments/gone.md", "nowhere.md"),
    ),
    # Settings
    Case(
        "toml-unknown-key",
        "site.toml:5: unknown key 'columist' in site.toml (did you mean \"columnist\"?)",
        toml(replace=("columnist", "columist")),
    ),
    Case("toml-syntax", "site.toml:2: TOML error", toml(replace=("https://", 'https://"'))),
    Case(
        "toml-encoding",
        "site.toml:1: not UTF-8 (it looks like windows-1251)",
        {"site.toml": MINIMAL_TOML.replace("Test column", "Советы").encode("cp1251")},
    ),
    Case(
        "toml-control-escape",
        "site.toml:1: 'title' contains the control character U+0001",
        toml(replace=("Test column", "Test\\u0001column")),
    ),
    Case(
        "toml-empty-title",
        "site.toml:1: 'title' must not be empty",
        toml(replace=("Test column", " ")),
    ),
    Case(
        "permalink-escape",
        "site.toml:6: 'permalink' may contain only letters",
        toml(replace=('columnist = "Илья"', 'columnist = "Илья"\npermalink = "/../{slug}/"')),
    ),
    Case(
        "theme-escape",
        "site.toml:6: 'theme' must be a plain folder name",
        toml(replace=('columnist = "Илья"', 'columnist = "Илья"\ntheme = "../../etc"')),
    ),
    # Output folders
    Case("out-is-site", "--out:1: --out", out="."),
    Case("out-is-root", "--out:1: --out / is the root of the file system", out="/"),
    Case("out-in-content", "--out:1: --out", out="content/built"),
    Case("out-holds-other-files", "--out:1: --out", {"notes/todo.txt": "x"}, out="notes"),
    Case("out-is-a-file", "--out:1: --out", {"built.txt": "x"}, out="built.txt"),
]


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(site: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(
        ["build", "--site", str(site), "--out", str(out), "--clock", CLOCK, "--jobs", "1"]
    )
    captured = capsys.readouterr()
    return code, captured.err.splitlines()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A good site and its output, built once; every case must leave that output as it is."""
    root = tmp_path_factory.mktemp("faults")
    site = write_files(root / "base", dict(BASE))
    out = root / "out"
    assert cli.main(["build", "--site", str(site), "--out", str(out), "--clock", CLOCK, "-q"]) == 0
    yield site, out


def test_there_are_at_least_forty_distinct_cases() -> None:
    assert len({case.name for case in CASES}) == len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_broken_site_is_reported_and_the_output_untouched(
    case: Case,
    base: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base_site, shared_out = base
    before = snapshot(shared_out)
    site = tmp_path / "site"
    shutil.copytree(base_site, site, ignore=shutil.ignore_patterns(".sovet-cache"))
    for relative, data in case.files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, "utf-8")
    if case.setup is not None:
        case.setup(site)
    monkeypatch.chdir(site)
    out = shared_out if case.out is None else Path(case.out)

    code, lines = build(Path("."), out, capsys)

    assert code == 1, lines
    assert not any("Traceback" in line for line in lines), lines
    assert lines and SUMMARY.match(lines[-1]), lines
    problems = lines[:-1]
    assert problems and all(PROBLEM.match(line) for line in problems), lines
    causes = [line for line in problems if not ECHO.search(line)]
    paths = [line.split(":", 1)[0] for line in causes]
    assert paths == sorted(paths), lines
    for before_echo, line in itertools.pairwise(problems):
        if echo := ECHO.search(line):  # right after its cause's own problems
            assert before_echo.startswith(echo[1]) or ECHO.search(before_echo), lines
    assert any(line.startswith(case.expect) for line in problems), (case.expect, lines)
    assert snapshot(shared_out) == before
    assert not [p for p in shared_out.parent.iterdir() if p.name.startswith(".out.")]
