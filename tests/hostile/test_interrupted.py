"""Nothing lost: the previous output survives a build killed at any moment (kill -9 included),
and builds running at once into one folder leave one complete site.

The kill points that matter are forced where timing cannot reach them reliably: a process
kills itself right after the atomic exchange, or between the two renames of the fallback
used where the exchange is not available; and a real build of a few hundred advices is
killed while it writes.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path, PurePosixPath

import pytest

from sovet import output
from sovet.assemble import Options
from sovet.pipeline import load_site, render_site
from tests.conftest import MINIMAL_TOML, PROJECT, advice_files, write_files

CLOCK = "2026-11-25T12:00"
NO_SEARCH = MINIMAL_TOML + "\n[search]\nenabled = false\n"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def site_files(marker: str, count: int = 30) -> dict[PurePosixPath, bytes]:
    """A complete-looking site whose every file says which write it came from."""
    names = ["index.html", "sitemap.xml", *(f"advice/a{i}/index.html" for i in range(count))]
    return {PurePosixPath(name): marker.encode() for name in names}


def leftovers(out: Path) -> list[str]:
    """What a build left beside OUT, but the previous output it keeps for the next one."""
    kept = output.spare(out).name
    names = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    return [name for name in names if name != kept]


def run_driver(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a small Python program against sovet.output in a process of its own."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_swap_is_one_atomic_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform != "linux":
        pytest.skip("renameat2 is Linux's")
    assert output._renameat2 is not None
    swaps: list[bool] = []
    real = output.exchange

    def spy(a: Path, b: Path) -> bool:
        swaps.append(real(a, b))
        return swaps[-1]

    monkeypatch.setattr(output, "exchange", spy)
    out = tmp_path / "out"
    output.write_site(out, site_files("one"))
    output.write_site(out, site_files("two"))
    assert swaps == [True]  # the first write had nothing to exchange with
    assert set(snapshot(out).values()) == {hashlib.sha256(b"two").hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.previous", "out"]
    assert set(snapshot(output.spare(out)).values()) == {hashlib.sha256(b"one").hexdigest()}


KILL_AFTER_EXCHANGE = """
    import os, signal, sys
    from pathlib import Path, PurePosixPath
    from sovet import output

    real = output.exchange

    def exchange_then_die(a, b):
        assert real(a, b)
        os.kill(os.getpid(), signal.SIGKILL)

    output.exchange = exchange_then_die
    files = {PurePosixPath(n): b"new" for n in ("index.html", "sitemap.xml", "x/index.html")}
    output.write_site(Path(sys.argv[1]), files)
"""

KILL_BETWEEN_RENAMES = """
    import os, pathlib, signal, sys
    from pathlib import Path, PurePosixPath
    from sovet import output

    output._renameat2 = None  # as on a system without RENAME_EXCHANGE
    real = pathlib.Path.rename

    def rename_then_die(self, target):
        result = real(self, target)
        if ".old-" in str(target):
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    pathlib.Path.rename = rename_then_die
    files = {PurePosixPath(n): b"new" for n in ("index.html", "sitemap.xml", "x/index.html")}
    output.write_site(Path(sys.argv[1]), files)
"""


def test_killed_right_after_the_exchange(tmp_path: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("renameat2 is Linux's")
    out = tmp_path / "out"
    output.write_site(out, site_files("old"))
    result = run_driver(KILL_AFTER_EXCHANGE, str(out))
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert set(snapshot(out).values()) == {hashlib.sha256(b"new").hexdigest()}  # complete
    assert len(leftovers(out)) == 1  # the previous output, waiting to be removed
    output.write_site(out, site_files("next"))
    assert leftovers(out) == []


def test_killed_between_the_renames_of_the_fallback(tmp_path: Path) -> None:
    out = tmp_path / "out"
    output.write_site(out, site_files("old"))
    before = snapshot(out)
    result = run_driver(KILL_BETWEEN_RENAMES, str(out))
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert not out.exists()  # the one moment two renames cannot cover
    output.recover(out)  # what the next build does first, under the lock
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_a_full_disk_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    output.write_site(out, site_files("old"))
    before = snapshot(out)

    def full(target: str, data: bytes, flags: int = output._CREATE) -> None:
        Path(target).write_bytes(data[:4])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output, "_put", full)
    with pytest.raises(output.UnsafeOutput, match="No space left on device"):
        output.write_site(out, site_files("new"))
    assert snapshot(out) == before
    assert leftovers(out) == []


WRITER = """
    import sys
    from pathlib import Path, PurePosixPath
    from sovet import output

    out, name = Path(sys.argv[1]), sys.argv[2]
    for round in range(6):
        marker = f"{name}-{round}".encode()
        names = ["index.html", "sitemap.xml", *(f"advice/a{i}/index.html" for i in range(40))]
        output.write_site(out, {PurePosixPath(n): marker for n in names})
"""


def test_writers_at_once_leave_one_complete_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    script = textwrap.dedent(WRITER)
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(out), f"w{n}"], cwd=PROJECT)
        for n in range(3)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    markers = set(snapshot(out).values())
    assert len(markers) == 1 and len(snapshot(out)) == 42
    assert leftovers(out) == []


def build_command(site: Path, out: Path) -> list[str]:
    script = str(PROJECT / "build.py")
    command = [sys.executable, script, "build", "--site", str(site), "--out", str(out)]
    return [*command, "--jobs", "1", "--clock", CLOCK]


def reference(site: Path) -> dict[str, str]:
    """What a build of SITE writes, made in memory."""
    built, theme = load_site(site, Options(now=dt.datetime.fromisoformat(CLOCK)))
    files = render_site(built, theme)
    return {path.as_posix(): hashlib.sha256(data).hexdigest() for path, data in files.items()}


def test_two_builds_at_once_into_one_folder(tmp_path: Path) -> None:
    sites = []
    for name in ("one", "two"):
        toml = NO_SEARCH.replace("Test column", f"Column {name}")
        sites.append(write_files(tmp_path / name, {"site.toml": toml, **advice_files(name)}))
    out = tmp_path / "out"
    builds = [
        subprocess.Popen(build_command(site, out), stderr=subprocess.PIPE, text=True)
        for site in sites
    ]
    for build in builds:
        _, errors = build.communicate(timeout=120)
        assert build.returncode == 0, errors
    assert snapshot(out) in [reference(site) for site in sites]
    assert leftovers(out) == []


def big_site(root: Path, count: int) -> Path:
    files = {"site.toml": NO_SEARCH}
    for i in range(count):
        files.update(advice_files(f"a{i}", date=f"2026-{1 + i % 11:02d}-{1 + i % 28:02d} 10:00"))
        files[f"content/advice/a{i}/comments/c1.md"] = (
            "---\nauthor: Ольга\ndate: 2026-11-21 12:00\n---\nКомментарий.\n"
        )
    return write_files(root, files)


def test_kill_9_while_a_real_build_writes(tmp_path: Path) -> None:
    site = big_site(tmp_path / "site", 200)
    out = tmp_path / "out"
    output.write_site(out, site_files("previous"))
    before = snapshot(out)
    build = subprocess.Popen(build_command(site, out), stderr=subprocess.PIPE)
    staging = out.parent / f".{out.name}.new-{build.pid}"
    deadline = time.monotonic() + 120
    while not staging.exists() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    assert staging.exists(), "the build was not caught while writing"
    assert build.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    output.write_site(out, site_files("after"))  # the next build clears what was left
    assert leftovers(out) == []


def test_kill_9_while_a_build_writes_into_the_spare(tmp_path: Path) -> None:
    """The spare shares its unchanged files with the output: a build killed while it writes
    there leaves the output as it was, and the next build makes the whole new site."""
    site = big_site(tmp_path / "site", 200)
    out = tmp_path / "out"
    comment = site / "content/advice/a0/comments/c1.md"
    for words in ("Первая правка.", "Вторая правка."):
        comment.write_text(f"---\nauthor: Ольга\ndate: 2026-11-21 12:00\n---\n{words}\n", "utf-8")
        assert subprocess.run(build_command(site, out)).returncode == 0
    assert output.spare(out).is_dir()
    before = snapshot(out)
    comment.write_text("---\nauthor: Ольга\ndate: 2026-11-22 12:00\n---\nТретья.\n", "utf-8")
    started = time.time()
    build = subprocess.Popen(build_command(site, out), stderr=subprocess.PIPE)
    home = out.parent / f".{out.name}.new-{build.pid}" / "index.html"
    deadline = time.monotonic() + 120
    while build.poll() is None and time.monotonic() < deadline:
        try:
            if home.stat().st_mtime > started:  # the new home page is being written
                break
        except FileNotFoundError:
            pass
        time.sleep(0.0005)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    assert build.returncode == -signal.SIGKILL, "the build was not caught while writing"
    assert snapshot(out) == before
    assert subprocess.run(build_command(site, out)).returncode == 0
    assert snapshot(out) == reference(site)
    assert leftovers(out) == []
