"""`sovet import disqus`: discussions back from Disqus, matched to advices by old addresses."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import run_build
from tests.importers.exports import disqus_export, wordpress_export
from tests.importers.test_wordpress import column, run

__all__ = ["column"]  # the fixture


def test_threads_find_their_advices_by_old_address(column: Path, tmp_path: Path) -> None:
    wordpress = tmp_path / "wordpress.xml"
    wordpress.write_bytes(wordpress_export())
    assert run(column, "wordpress", str(wordpress))[0] == 0
    export = tmp_path / "disqus.xml"
    export.write_bytes(disqus_export())
    code, out, err = run(column, "disqus", str(export))
    assert (code, err) == (0, ""), err
    assert "comments: 3, replies: 2" in out
    assert "deleted: 1" in out and "spam: 1" in out
    assert "comments on pages with no advice: 1" in out
    assert "https://old.example/blog/kontakty/: no advice has this address" in out
    comments = column / "content/advice/oplata-posle-sdachi/comments"
    reply = (comments / "kostya-d9003.md").read_text("utf-8")
    assert 'reply_to: "lena-d9001"' in reply  # its parent was deleted: it hangs on Лена's
    editors = (comments / "pyatnichnyy-sovet-d9004.md").read_text("utf-8")
    assert 'role: "columnist"' in editors  # the site's own Disqus account
    assert "lena@example.org" not in (comments / "lena-d9001.md").read_text("utf-8")

    again = run(column, "disqus", str(export))
    assert "Files written: 0;" in again[1]
    built = run_build("build", "--site", str(column))
    assert built.returncode == 0, built.stderr
    page = (column / "output/advice/oplata-posle-sdachi/index.html").read_text("utf-8")
    soup = BeautifulSoup(page, "lxml")
    assert soup.select_one("#comment-9001") is not None  # Disqus's own anchor
    thanks = soup.select_one("#comment-pyatnichnyy-sovet-d9004").find_parent("li")
    assert "depth-2" in thanks["class"] and "comment--columnist" in thanks["class"]
