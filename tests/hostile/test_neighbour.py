"""A neighbour who can write into the site folder (a shared folder, a synced drive).

They plant symlinks where sovet is about to write, pipes where it is about to read, a body
of their own in the build cache, YAML aliases in an inbox file. Every test plants the trap as
the same user (enough to show that sovet does not walk into it) and checks that nothing
outside the site changed, nothing hung and nothing of theirs was published.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sovet import cli
from sovet.inbox.store import PENDING, Inbox
from sovet.inbox.submission import Submission
from sovet.problems import Problems
from sovet.settings import load_settings
from tests.conftest import CLOCK, PROJECT
from tests.inbox.conftest import FIXTURES, inbox_site

VICTIM_TEXT = "the editor's own file\n"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file of the editor's outside the site (their ~/.bashrc, say)."""
    path = tmp_path / "home" / ".bashrc"
    path.parent.mkdir()
    path.write_text(VICTIM_TEXT, "utf-8")
    return path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return inbox_site(tmp_path / "site")


def sovet(site: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """A command as the editor runs it; a hang is a failure, not a stuck test run."""
    command = [sys.executable, str(PROJECT / "build.py"), *args, "--site", str(site)]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def untouched(victim: Path) -> bool:
    folder = victim.parent
    return victim.read_text("utf-8") == VICTIM_TEXT and [p.name for p in folder.iterdir()] == [
        victim.name
    ]


def pending_ids(site: Path) -> list[str]:
    settings = load_settings(site, Problems())
    assert settings is not None
    return Inbox(settings).ids(PENDING)


# 6. Symlinks where sovet writes


def test_import_writes_through_no_planted_link(site: Path, victim: Path) -> None:
    """The id of a submission is a hash of what the reader sent: predictable. Links wait at
    its file, at the temporary name sovet once used, and at the .gitignore."""
    first = sovet(site, "inbox", "import", str(FIXTURES / "utf8.eml"), "-q")
    assert first.returncode == 0, first.stderr
    (entry,) = pending_ids(site)
    inbox = site / "inbox"
    for path in inbox.iterdir():
        if path.is_file():
            path.unlink()
    for name in (f"{entry}.md", f".{entry}.md.tmp", ".gitignore"):
        (inbox / name).symlink_to(victim)
    again = sovet(site, "inbox", "import", str(FIXTURES / "utf8.eml"), "-q")
    assert again.returncode == 0, again.stderr
    assert untouched(victim)
    assert not (inbox / f"{entry}.md").is_symlink()  # the link itself replaced by the file


def test_decisions_write_through_no_planted_folder(site: Path, victim: Path) -> None:
    assert sovet(site, "inbox", "import", str(FIXTURES / "form.csv"), "-q").returncode == 1
    (site / "inbox" / "rejected").symlink_to(victim.parent, target_is_directory=True)
    comments = site / "content/advice/second/comments"
    comments.symlink_to(victim.parent, target_is_directory=True)
    some = pending_ids(site)[0]
    rejected = sovet(site, "inbox", "reject", some)
    assert rejected.returncode == 1 and "is a link or not a folder: refused" in rejected.stderr
    assert "Traceback" not in rejected.stderr
    new = sovet(site, "new", "comment", "second", "--author", "Оля")
    assert new.returncode == 1
    assert "second/comments:1: is a link or not a folder: refused" in new.stderr
    assert untouched(victim)
    assert some in pending_ids(site)


def test_a_planted_inbox_folder_is_refused(site: Path, victim: Path) -> None:
    (site / "inbox").symlink_to(victim.parent, target_is_directory=True)
    result = sovet(site, "inbox", "import", str(FIXTURES / "utf8.eml"))
    assert result.returncode == 1
    assert "site/inbox:1: is a link or not a folder: refused" in result.stderr
    assert untouched(victim)


def test_the_cache_writes_through_no_planted_link(site: Path, victim: Path) -> None:
    cache = site / ".sovet-cache"
    cache.mkdir(mode=0o700)
    (cache / ".gitignore").symlink_to(victim)
    (cache / "state.pickle").symlink_to(victim)
    built = sovet(site, "build", "--clock", CLOCK, "-q")
    assert built.returncode == 0, built.stderr
    assert untouched(victim)
    assert (cache / "state.pickle").is_file() and not (cache / "state.pickle").is_symlink()


# 7. The build cache


def build(site: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return sovet(site, "build", "--out", str(out), "--clock", CLOCK)


def test_a_cache_others_may_write_to_is_not_used(site: Path, tmp_path: Path) -> None:
    """A neighbour rewrote a cached body (same size, same times): published on every page
    if the cache were trusted. A cache folder anyone else may write to is not."""
    out = tmp_path / "out"
    assert build(site, out).returncode == 0
    bodies = site / ".sovet-cache" / "bodies"
    segment = next(bodies.iterdir())
    data = segment.read_bytes()
    spoken = "Спасибо!".encode()
    assert spoken in data
    payload = b"<img src=x onerror=alert(1)>"[: len(spoken)].ljust(len(spoken), b" ")
    info = segment.stat()
    segment.write_bytes(data.replace(spoken, payload))
    os.utime(segment, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.chmod(bodies, 0o777)  # as a shared folder would let others write
    (site / "content/advice/first/answer.md").touch()  # something to rebuild
    again = build(site, out)
    assert again.returncode == 0, again.stderr
    assert "is not private (another user may write to it): built without the cache" in (
        again.stderr
    )
    page = (out / "advice/first/index.html").read_bytes()
    assert payload not in page and spoken in page


def test_a_cache_folder_someone_else_made_writable_is_not_used(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(site, out).returncode == 0
    cache = site / ".sovet-cache"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700  # made private
    os.chmod(cache, 0o775)
    (site / "content/advice/first/answer.md").touch()
    again = build(site, out)
    assert again.returncode == 0 and "is not private" in again.stderr


# 8. Pipes and devices where sovet reads


def test_a_pipe_in_the_cache_is_never_read(site: Path, tmp_path: Path) -> None:
    cache = site / ".sovet-cache"
    cache.mkdir(mode=0o700)
    os.mkfifo(cache / "state.pickle")
    built = sovet(site, "build", "--clock", CLOCK, "-q", timeout=60)
    assert built.returncode == 0, built.stderr
    assert (site / "output/index.html").is_file()


def test_a_pipe_in_the_inbox_is_refused_with_a_message(site: Path) -> None:
    assert sovet(site, "inbox", "import", str(FIXTURES / "utf8.eml"), "-q").returncode == 0
    os.mkfifo(site / "inbox" / "abcdef0123.md")
    listed = sovet(site, "inbox")
    assert listed.returncode == 1
    assert "abcdef0123.md:1: is not a regular file (a pipe or a device?): refused" in listed.stderr
    assert "1 pending" in listed.stdout


def test_a_pipe_to_import_or_to_publish_is_refused(site: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "export.csv"
    os.mkfifo(pipe)
    imported = sovet(site, "inbox", "import", str(pipe))
    assert imported.returncode == 1 and "not a regular file" in imported.stderr
    (site / "static").mkdir()
    os.mkfifo(site / "static" / "logo.svg")
    built = sovet(site, "build", "--clock", CLOCK)
    assert built.returncode == 1
    assert "static/logo.svg:1: not a regular file (a pipe or a device): remove it" in built.stderr


# 9. YAML aliases in an inbox file


def cost(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def test_aliases_in_an_inbox_file_are_never_expanded(site: Path) -> None:
    """700 bytes of nested aliases once took 90 s and 8.5 GB to read."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        name = chr(ord("a") + level)
        previous = chr(ord("a") + level - 1)
        levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    bomb = "---\n" + "\n".join(levels) + "\nauthor: *i\nflags: *i\ndate: 2026-11-21 10:00\n---\nx\n"
    assert len(bomb.encode()) < 1000
    settings = load_settings(site, Problems())
    assert settings is not None
    inbox = Inbox(settings)
    inbox.write(Submission("first", "Ольга", "", load_now(), "Спасибо.", "test"), PENDING)
    (site / "inbox" / "0123456789.md").write_text(bomb, "utf-8")
    problems = Problems()
    took = cost(lambda: inbox.entries(PENDING, problems))
    plain = cost(lambda: Inbox(settings).entries(PENDING, Problems()))
    assert took < 50 * plain + 0.5
    messages = [str(p) for p in problems.sorted()]
    assert any("'author': expected text, got a list" in m for m in messages), messages


def load_now() -> object:
    import datetime as dt
    from zoneinfo import ZoneInfo

    return dt.datetime(2026, 11, 21, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def test_nothing_sovet_writes_goes_through_cli_without_a_message(site: Path, victim: Path) -> None:
    """The same refusal in-process: a problem line, never a traceback."""
    (site / "inbox").symlink_to(victim.parent, target_is_directory=True)
    assert cli.main(["inbox", "import", str(FIXTURES / "utf8.eml"), "--site", str(site)]) == 1
    assert untouched(victim)
