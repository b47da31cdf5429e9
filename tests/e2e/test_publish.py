"""The publish path: after one change, `build` (with its cache) keeps what the change does not
touch (pages, feeds and parts of the search index are the last build's very files) and makes
the same output folder, byte for byte, as a cold build of the same content."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sovet import cli
from sovet.render import search
from tests.conftest import CLOCK
from tests.e2e.test_build_cache import tree

ADVICE = "content/advice/oplata-posle-sdachi"


def build(site: Path, out: Path, *flags: str) -> None:
    args = ["build", "--site", str(site), "--out", str(out), "--clock", CLOCK, "-q", "--jobs", "1"]
    assert cli.main([*args, *flags]) == 0


def new_comment(site: Path) -> None:
    (site / ADVICE / "comments" / "novyi-1.md").write_text(
        "---\nauthor: Антон Белов\ndate: 2026-11-24 18:00\n---\nПро звонок и паузу - чистая правда.\n",
        "utf-8",
    )


def new_word(site: Path) -> None:
    (site / ADVICE / "comments" / "novyi-2.md").write_text(
        "---\nauthor: Ольга\ndate: 2026-11-24 19:00\n---\nЗаковыристое словечко.\n", "utf-8"
    )


def new_forms(site: Path) -> None:
    """Words the column has ("правда", "паузу") in forms it has not: the same stems."""
    (site / ADVICE / "comments" / "novyi-3.md").write_text(
        "---\nauthor: Антон Белов\ndate: 2026-11-24 20:00\n---\nПравдой и паузами.\n", "utf-8"
    )


def answer_edited(site: Path) -> None:
    answer = site / ADVICE / "answer.md"
    answer.write_text(answer.read_text("utf-8") + "\nИ ещё одна мысль.\n", "utf-8")


def advice_added(site: Path) -> None:
    folder = site / "content" / "advice" / "novyi-sovet"
    folder.mkdir()
    question = "---\ntitle: Про звонок\nauthor: Антон Белов\n---\nКогда оплатите?\n"
    (folder / "question.md").write_text(question, "utf-8")
    answer = "---\ndate: 2026-11-24 10:00\n---\nТеперь задаю вопрос и считаю про себя до десяти.\n"
    (folder / "answer.md").write_text(answer, "utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "a comment added (in the column's words)": new_comment,
    "a comment with a word new to the column": new_word,
    "a comment with new forms of the column's words": new_forms,
    "an answer edited": answer_edited,
    "an advice added": advice_added,
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_one_change_keeps_the_rest_and_builds_what_a_cold_build_does(
    edit: str, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "PART_SIZE", 5)  # three parts: one is indexed again
    out = tmp_path / "out"
    build(site, out)
    unchanged = out / "tags" / "naym" / "index.html"
    before = inodes(out)
    EDITS[edit](site)
    build(site, out)
    cold = tmp_path / "cold"
    build(site, cold, "--no-cache")
    assert tree(out) == tree(cold)
    after = inodes(out)
    assert after[unchanged] == before[unchanged]  # the last build's very file
    parts = {path.parent.parent for path in out.glob("pagefind/**/index/*.pf_index")}
    assert len(parts) == 3
    kept = {part for part in parts if _index_files(after, part) <= _index_files(before, part)}
    if edit == "a comment with a word new to the column":
        assert kept == set()  # every part holds the column's words: all are made anew
    else:
        assert len(kept) == 2  # the part holding the change alone is indexed again


def test_edits_one_after_another_write_into_the_replaced_output(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the third build on, a build writes into the output the one before replaced (the
    spare beside it): after each edit the output is still what a cold build makes."""
    monkeypatch.setattr(search, "PART_SIZE", 5)
    out = tmp_path / "out"
    build(site, out)
    for number, edit in enumerate(EDITS.values()):
        edit(site)
        build(site, out)
        assert (tmp_path / ".out.previous").is_dir()
        cold = tmp_path / f"cold-{number}"
        build(site, cold, "--no-cache")
        assert tree(out) == tree(cold)
    (site / ADVICE / "comments" / "novyi-1.md").unlink()  # pages and files go, too
    shutil.rmtree(site / "content" / "advice" / "novyi-sovet")
    build(site, out)
    build(site, tmp_path / "cold-last", "--no-cache")
    assert tree(out) == tree(tmp_path / "cold-last")


def inodes(out: Path) -> dict[Path, int]:
    return {path: path.stat().st_ino for path in out.rglob("*") if path.is_file()}


def _index_files(found: dict[Path, int], part: Path) -> set[tuple[Path, int]]:
    return {(path, ino) for path, ino in found.items() if path.parent == part / "index"}


def test_a_touched_output_is_not_trusted(site: Path, tmp_path: Path) -> None:
    """An output file changed by hand since the last build: nothing of it is kept."""
    out = tmp_path / "out"
    build(site, out)
    page = out / "tags" / "naym" / "index.html"
    page.write_text("edited by hand", "utf-8")
    new_comment(site)
    build(site, out)
    assert "edited by hand" not in page.read_text("utf-8")
    cold = tmp_path / "cold"
    build(site, cold, "--no-cache")
    assert tree(out) == tree(cold)


def test_an_edit_that_keeps_size_and_time_is_seen(site: Path, tmp_path: Path) -> None:
    """A comment rewritten in place with the same length, its modification time set back: the
    folder is read again all the same (its change time moved)."""
    out = tmp_path / "out"
    build(site, out)
    comment = next((site / ADVICE / "comments").glob("*.md"))
    before = comment.stat()
    text = comment.read_text("utf-8")
    changed = text.replace("правда", "ПРАВДА", 1)
    assert changed != text and len(changed.encode()) == len(text.encode())
    comment.write_text(changed, "utf-8")
    os.utime(comment, ns=(before.st_atime_ns, before.st_mtime_ns))
    build(site, out)
    assert "ПРАВДА" in (out / "advice" / "oplata-posle-sdachi" / "index.html").read_text("utf-8")


def test_a_scheduled_advice_comes_out_when_its_day_comes(site: Path, tmp_path: Path) -> None:
    advice_added(site)
    answer = site / "content" / "advice" / "novyi-sovet" / "answer.md"
    answer.write_text(answer.read_text("utf-8").replace("2026-11-24", "2026-11-26"), "utf-8")
    out = tmp_path / "out"
    args = ["build", "--site", str(site), "--out", str(out), "-q", "--jobs", "1"]
    assert cli.main([*args, "--clock", CLOCK]) == 0
    assert not (out / "advice" / "novyi-sovet").exists()
    assert cli.main([*args, "--clock", "2026-11-27T12:00"]) == 0
    assert (out / "advice" / "novyi-sovet" / "index.html").is_file()
    cold = tmp_path / "cold"
    assert (
        cli.main(
            [
                "build",
                "--site",
                str(site),
                "--out",
                str(cold),
                "-q",
                "--jobs",
                "1",
                "--clock",
                "2026-11-27T12:00",
                "--no-cache",
            ]
        )
        == 0
    )
    assert tree(out) == tree(cold)
