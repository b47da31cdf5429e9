"""A thread hundreds of replies deep builds: no recursion anywhere from threading to HTML."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import CLOCK, advice_files, run_build, write_files

DEPTH = 1500  # far past Python's recursion limit, whatever a frame costs


class _Nesting(HTMLParser):
    """The deepest nesting of reply lists, and every comment's anchor with its depth class."""

    def __init__(self) -> None:
        super().__init__()
        self.lists = 0
        self.deepest = 0
        self.comments: list[tuple[str, str]] = []
        self.classes = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "ol" and "thread" in (values.get("class") or ""):
            self.lists += 1
            self.deepest = max(self.deepest, self.lists)
        elif tag == "li" and "comment" in (values.get("class") or "").split():
            self.classes = values.get("class") or ""
        elif tag == "article" and (values.get("id") or "").startswith("comment-"):
            self.comments.append((values["id"] or "", self.classes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "ol" and self.lists:
            self.lists -= 1


def test_a_thread_deeper_than_recursion_allows_builds(tmp_path: Path) -> None:
    files = advice_files("deep")
    for number in range(DEPTH):
        reply = f"reply_to: c{number - 1}\n" if number else ""
        minute = f"{number // 60 % 24:02d}:{number % 60:02d}"
        files[f"content/advice/deep/comments/c{number}.md"] = (
            f"---\nauthor: Читатель {number}\ndate: 2026-11-21 {minute}\n{reply}---\nДа.\n"
        )
    site = write_files(tmp_path / "site", files)
    out = tmp_path / "out"
    result = run_build("build", "--site", str(site), "--out", str(out), "--clock", CLOCK)
    assert result.returncode == 0, result.stderr[-2000:]
    parser = _Nesting()
    parser.feed((out / "advice/deep/index.html").read_text("utf-8"))
    assert parser.lists == 0, "every reply list is closed"
    assert parser.deepest == DEPTH
    assert [anchor for anchor, _ in parser.comments] == [f"comment-c{n}" for n in range(DEPTH)]
    assert parser.comments[-1][1].split()[1] == "depth-5"  # the indent stays capped
    feed = (out / "advice/deep/comments.xml").read_text("utf-8")
    assert feed.count("<item>") == 20  # the newest of them
