"""`sovet import wordpress`: a WordPress column moved whole, built, old addresses alive."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sovet import cli
from tests.conftest import run_build
from tests.importers.exports import EMAILS, POSTS, wordpress_export

EXPORT_NAME = "sovet.WordPress.2026-11-20.xml"


@pytest.fixture
def column(tmp_path: Path) -> Path:
    """A new column (sovet init) with its example advice removed: the archive comes in."""
    site = tmp_path / "column"
    assert cli.main(["init", str(site), "-q"]) == 0
    shutil.rmtree(site / "content/advice")
    return site


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / EXPORT_NAME
    path.write_bytes(wordpress_export())
    return path


def run(site: Path, *args: str) -> tuple[int, str, str]:
    result = run_build("import", *args, "--site", str(site))
    return result.returncode, result.stdout, result.stderr


def test_a_column_comes_in_whole(column: Path, export: Path) -> None:
    code, out, err = run(column, "wordpress", str(export))
    assert (code, err) == (0, ""), err
    assert "advices: 4, comments: 6, replies: 3" in out
    assert "held for moderation, to the inbox: 1" in out
    assert "pingbacks: 1" in out and "spam: 1" in out and "trash: 1" in out
    assert "private posts: 1" in out
    assert "New rubrics in site.toml: peregovory" in out
    assert "bez-pisma: letter and answer not told apart" in out
    assert "galereya: shortcodes left as text: gallery" in out
    assert "zakrytyi: was protected by a password: imported as a draft" in out

    advice = column / "content/advice/oplata-posle-sdachi"  # a Cyrillic slug, in Latin
    question = advice.joinpath("question.md").read_text("utf-8")
    assert 'author: "Марина Л."' in question  # the letter's signature, moved out of it
    assert "Марина Л." not in question.split("---")[2]
    assert '"/blog/?p=101"' in question and "/blog/2015/02/27/%D0%BE%D0%BF" in question
    answer = advice.joinpath("answer.md").read_text("utf-8")
    assert answer.startswith("---\ndate: 2015-02-27 10:00\n---\nМарина, сначала о главном")
    assert "scheduled: 1" in out and "draft: true" in (
        column / "content/advice/chernovik/answer.md"
    ).read_text("utf-8")
    assert not (column / "content/advice/lichnoe").exists()  # private: left out
    pravki = (column / "content/advice/pravki/answer.md").read_text("utf-8")
    assert "[в совете об оплате](/advice/oplata-posle-sdachi/)" in pravki  # relinked
    assert "![Таблица правок](" in pravki and "*Таблица правок в договоре*" in pravki
    assert "wp:" not in pravki
    toml = (column / "site.toml").read_text("utf-8")
    assert '[rubrics.peregovory]\ntitle = "Переговоры"' in toml
    assert "# название колонки" in toml  # its comments kept

    content = b"".join(p.read_bytes() for p in (column / "content").rglob("*") if p.is_file())
    for address in EMAILS:
        assert address.encode() not in content
    assert b"203.0.113.7" not in content


def test_the_imported_column_builds_threaded(column: Path, export: Path) -> None:
    assert run(column, "wordpress", str(export))[0] == 0
    built = run_build("build", "--site", str(column))
    assert built.returncode == 0, built.stderr
    out = column / "output"
    soup = BeautifulSoup((out / "advice/oplata-posle-sdachi/index.html").read_text("utf-8"), "lxml")
    deepest = soup.select_one("#comment-olga-58").find_parent("li")
    assert "depth-3" in deepest["class"]  # 55 <- 56 <- 57 <- 58, as in WordPress
    columnist = soup.select_one("#comment-ilya-kravets-57").find_parent("li")
    assert "comment--columnist" in columnist["class"]
    assert soup.select_one("#comment-55")  # the old anchor lands on the comment
    orphan = soup.select_one("#comment-pyotr-62").find_parent("li")
    assert "depth-0" in orphan["class"]  # its parent was spam: it hangs at the top
    redirects = (out / "_redirects").read_text("utf-8")
    for number in (101, 102, 108):
        assert f"/blog/ p={number} /advice/" in redirects
    old = "blog/2015/02/27/оплата-после-сдачи/index.html"
    page = (out / old).read_text("utf-8")
    assert 'content="0; url=/advice/oplata-posle-sdachi/"' in page and "noindex" in page
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    for address in EMAILS:
        assert address.encode() not in everything
    listed = run_build("inbox", "--site", str(column))
    assert "Жду модерации" in listed.stdout and "1 pending" in listed.stdout


def test_importing_again_adds_nothing_and_keeps_an_editors_change(
    column: Path, export: Path
) -> None:
    assert run(column, "wordpress", str(export))[0] == 0
    answer = column / "content/advice/oplata-posle-sdachi/answer.md"
    answer.write_text(answer.read_text("utf-8") + "\nДописано редактором.\n", "utf-8")
    toml = (column / "site.toml").read_text("utf-8")
    code, out, _ = run(column, "wordpress", str(export))
    assert code == 0
    assert "Files written: 0;" in out and "changed since and kept as they are: 1" in out
    assert "kept: advice/oplata-posle-sdachi/answer.md" in out
    assert "held for moderation, in the inbox already: 1" in out
    assert "Дописано редактором." in answer.read_text("utf-8")
    assert (column / "site.toml").read_text("utf-8") == toml


def test_a_dry_run_writes_nothing(column: Path, export: Path) -> None:
    before = sorted(p for p in column.rglob("*"))
    code, out, _ = run(column, "wordpress", str(export), "--dry-run")
    assert code == 0 and "Would import from" in out
    assert "would write: advice/oplata-posle-sdachi/question.md" in out
    assert sorted(p for p in column.rglob("*")) == before


def test_uploads_are_copied_and_linked_on_the_new_site(column: Path, tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    (uploads / "2015/03").mkdir(parents=True)
    (uploads / "2015/03/pravki.png").write_bytes(b"\x89PNG fake")
    export = tmp_path / "export.xml"
    export.write_bytes(wordpress_export())
    code, out, _ = run(column, "wordpress", str(export), "--uploads", str(uploads))
    assert code == 0 and "Uploads copied into static/: 1" in out
    assert (column / "static/wp-content/uploads/2015/03/pravki.png").read_bytes() == b"\x89PNG fake"
    answer = (column / "content/advice/pravki/answer.md").read_text("utf-8")
    assert "](/wp-content/uploads/2015/03/pravki.png)" in answer
    assert run_build("build", "--site", str(column)).returncode == 0
    assert (column / "output/wp-content/uploads/2015/03/pravki.png").is_file()


def test_the_answer_can_start_where_the_editor_says(column: Path, tmp_path: Path) -> None:
    post = POSTS[2]  # "без письма": no marker at all
    post = type(post)(**{**post.__dict__, "content": "Письмо читателя.\n\nКолумнист: ответ."})
    export = tmp_path / "export.xml"
    export.write_bytes(wordpress_export([post]))
    assert run(column, "wordpress", str(export), "--answer-starts", "^Колумнист:")[0] == 0
    folder = column / "content/advice/bez-pisma"
    assert folder.joinpath("question.md").read_text("utf-8").endswith("---\nПисьмо читателя.\n")
    assert folder.joinpath("answer.md").read_text("utf-8").endswith("---\nКолумнист: ответ.\n")


@pytest.mark.parametrize(
    ("export", "expected"),
    [
        (wordpress_export()[:5000], "not a readable export"),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<rss><channel><title>&b;</title></channel></rss>",
            "refused: the file declares a DTD or entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<rss><channel><title>&x;</title></channel></rss>",
            "refused: the file declares a DTD or entities",
        ),
    ],
    ids=["truncated", "entity bomb", "external entity"],
)
def test_a_broken_or_hostile_export_writes_nothing(
    column: Path, tmp_path: Path, export: bytes, expected: str
) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(export)
    before = sorted(p for p in column.rglob("*"))
    code, out, err = run(column, "wordpress", str(path))
    assert code == 1 and out == ""
    assert re.search(rf"bad\.xml:\d+: {re.escape(expected)}", err), err
    assert sorted(p for p in column.rglob("*")) == before
