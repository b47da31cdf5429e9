"""`sovet serve --built`: output/ served exactly as built, under the path of base_url."""

from __future__ import annotations

import http.client
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import CLOCK, MINIMAL_TOML, PROJECT, advice_files, run_build, write_files
from tests.e2e.test_serve import free_port, serving, wait_until

SUBPATH_TOML = MINIMAL_TOML.replace(
    'base_url = "https://example.org/"', 'base_url = "https://example.org/column/"'
)


def column(root: Path, toml: str = SUBPATH_TOML) -> Path:
    files = {
        "site.toml": toml,
        **advice_files("a"),
        "content/advice/a/answer.md": "---\ndate: 2026-11-20 10:00\n---\nСм. [другой совет](/advice/b/).\n",
        **advice_files("b"),
    }
    site = write_files(root, files)
    built = run_build("build", "--site", str(site), "--clock", CLOCK, "-q")
    assert built.returncode == 0, built.stderr
    return site


@contextmanager
def serving_built(site: Path) -> Iterator[int]:
    port = free_port()
    command = [sys.executable, str(PROJECT / "build.py"), "serve", "--built", "--site", str(site)]
    process = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_until(lambda: get(port, "/")[0] != 0)
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=10)
        assert "Stopped." in stdout


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read()
    except OSError:
        return 0, {}, b""


def test_the_built_site_is_served_under_its_path(tmp_path: Path) -> None:
    site = column(tmp_path / "site")
    before = sorted(p.stat().st_mtime_ns for p in (site / "output").rglob("*") if p.is_file())
    with serving_built(site) as port:
        status, headers, _ = get(port, "/")
        assert status == 302 and headers["location"] == "/column/"
        status, _, page = get(port, "/column/")
        assert status == 200 and b'href="/column/advice/a/"' in page
        status, headers, _ = get(port, "/column/advice/a")
        assert status == 301 and headers["location"].endswith("/column/advice/a/")
        status, _, page = get(port, "/column/advice/a/")
        assert status == 200
        assert b'href="/column/advice/b/"' in page  # the editor's /advice/b/, under the path
        css = next(p for p in (site / "output/static").glob("style.*.css"))
        status, headers, _ = get(port, f"/column/static/{css.name}")
        assert status == 200 and headers["content-type"].startswith("text/css")
        status, _, page = get(port, "/column/nowhere/")
        assert status == 404 and page == (site / "output/404.html").read_bytes()
        assert get(port, "/advice/a/")[0] == 404  # not under the path: not the site
        assert get(port, "/column/../site.toml")[0] == 404
    after = sorted(p.stat().st_mtime_ns for p in (site / "output").rglob("*") if p.is_file())
    assert after == before  # nothing built, nothing written


def test_nothing_built_says_so(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", advice_files("a"))
    result = run_build("serve", "--built", "--site", str(site), "--port", str(free_port()))
    assert result.returncode == 1
    assert "holds no built site: run `sovet build` first" in result.stderr


@pytest.mark.parametrize("link", ["/advice/b/", "/column/advice/b/"])
def test_a_root_relative_link_is_published_under_the_path(tmp_path: Path, link: str) -> None:
    site = column(tmp_path / "site")
    (site / "content/advice/a/answer.md").write_text(
        f"---\ndate: 2026-11-20 10:00\n---\n[Совет]({link}) и `[код]({link})`.\n", "utf-8"
    )
    assert run_build("build", "--site", str(site), "--clock", CLOCK, "-q").returncode == 0
    page = (site / "output/advice/a/index.html").read_text("utf-8")
    assert '<a href="/column/advice/b/">Совет</a>' in page
    assert f"<code>[код]({link})</code>" in page  # code shows what the editor wrote
    feed = (site / "output/feed.xml").read_text("utf-8")
    assert "https://example.org/column/advice/b/" in feed
    assert run_build("check", "--site", str(site), "--clock", CLOCK).returncode == 0


def test_the_live_preview_shows_the_site_under_the_same_path(tmp_path: Path) -> None:
    site = column(tmp_path / "site")
    shutil.rmtree(site / "output")
    with serving(site, path="/column/") as base:
        port = int(base.rsplit(":", 1)[1])
        status, headers, _ = get(port, "/")
        assert status == 302 and headers["location"] == "/column/"
        status, _, page = get(port, "/column/advice/a/")
        assert status == 200 and b'href="/column/advice/b/"' in page
        assert get(port, "/advice/a/")[0] == 404
