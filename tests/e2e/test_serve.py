"""`serve` as an editor uses it: a real server on a free port, files edited under it."""

from __future__ import annotations

import contextlib
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PROJECT, advice_files, write_files


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = 5) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_until(check: object, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    site = write_files(
        tmp_path / "site",
        {
            **advice_files("first", title="Первый совет"),
            "content/advice/first/comments/olga-1.md": "---\nauthor: Ольга\ndate: 2026-11-20 12:00\n---\nСпасибо!\n",
            "content/advice/later/question.md": "---\ntitle: Будущий совет\nauthor: А.\n---\nВопрос.\n",
            "content/advice/later/answer.md": "---\ndate: 2099-01-01\n---\nОтвет.\n",
        },
    )
    with serving(site) as base:
        yield base, site


@contextlib.contextmanager
def serving(site: Path, path: str = "/") -> Iterator[str]:
    """`serve --site SITE` on a free port, as an editor runs it; stopped with Ctrl-C (SIGINT),
    after which it must exit cleanly and never have written output/. PATH: where the site's
    base_url puts it."""
    port = free_port()
    command = [sys.executable, str(PROJECT / "build.py"), "serve", "--site", str(site)]
    process = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _up(base + path.rstrip("/")))
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            stdout, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        assert process.returncode == 0
        assert "Stopped." in stdout
        assert not (site / "output").exists()


def _up(base: str) -> bool:
    try:
        return fetch(base + "/", timeout=1)[0] == 200
    except OSError:
        return False


def generation(base: str) -> int:
    return int(json.loads(fetch(base + "/_sovet/reload?since=-1")[1])["generation"])


def test_edit_break_fix_cycle(served: tuple[str, Path]) -> None:
    base, site = served
    status, page = fetch(base + "/advice/first/")
    assert status == 200
    assert "Первый совет" in page
    assert "/_sovet/reload" in page
    assert "Будущий совет" in fetch(base + "/advice/later/")[1]  # scheduled shown in preview
    start = generation(base)

    comment = site / "content/advice/first/comments/olga-1.md"
    comment.write_text(comment.read_text("utf-8").replace("Спасибо!", "Большое спасибо!"), "utf-8")
    wait_until(lambda: "Большое спасибо!" in fetch(base + "/advice/first/")[1])
    assert generation(base) > start

    question = site / "content/advice/first/question.md"
    good = question.read_text("utf-8")
    question.write_text(good.replace("author: Иван К.\n", "author: [Иван\n"), "utf-8")
    wait_until(lambda: "sovet-problems" in fetch(base + "/advice/first/")[1])
    page = fetch(base + "/advice/first/")[1]
    assert "Большое спасибо!" in page  # the last good site
    assert re.search(r"question\.md:\d+: the list opened on this line is never closed", page)
    other = fetch(base + "/about-nothing/")
    assert other[0] == 404 and "sovet-problems" in other[1]

    question.write_text(good, "utf-8")
    wait_until(lambda: "sovet-problems" not in fetch(base + "/advice/first/")[1])


def test_reload_signal_long_polls(served: tuple[str, Path]) -> None:
    base, site = served
    now = generation(base)
    started = time.monotonic()
    toml = site / "site.toml"
    toml.write_text(
        toml.read_text("utf-8").replace('title = "Test column"', 'title = "Renamed"'), "utf-8"
    )
    answer = json.loads(fetch(f"{base}/_sovet/reload?since={now}", timeout=30)[1])
    assert answer["generation"] > now
    assert time.monotonic() - started < 20
    wait_until(lambda: "Renamed" in fetch(base + "/")[1])


def test_directories_redirect_and_assets_are_served(served: tuple[str, Path]) -> None:
    base, _ = served
    request = urllib.request.Request(base + "/weekly")
    opener = urllib.request.build_opener(NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as info:
        opener.open(request, timeout=5)
    assert info.value.code == 301
    assert info.value.headers["Location"] == "/weekly/"
    page = fetch(base + "/")[1]
    css = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    status, body = fetch(base + css)
    assert status == 200 and "--paper" in body


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
