"""Deploying to a git branch (GitHub Pages' gh-pages), through ghp-import.

The branch is committed in a bare repository of sovet's own in the build cache (never in the
editor's working copy), on top of the branch as the remote has it, so every deploy is one
commit that holds the whole site with `.nojekyll`, and git sends only what changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..safe_files import Folder
from .plan import DeployError, Plan, make_plan

NOJEKYLL = ".nojekyll"  # GitHub Pages would otherwise drop folders that start with '_'


def origin(site: Path) -> str:
    """The site folder's own `origin`, the default repository to deploy to."""
    done = _git(["remote", "get-url", "origin"], site)
    if done.returncode != 0:
        raise DeployError(
            "no repository to deploy to: set [deploy] repository (or target, for a bucket) in "
            "site.toml, or pass --repository URL"
        )
    return done.stdout.strip()


class Branch:
    def __init__(self, site: Path, repository: str, branch: str) -> None:
        self.repository, self.branch = repository, branch
        name = hashlib.sha256(repository.encode()).hexdigest()[:16]
        with Folder.open(site, ".sovet-cache/deploy", create=True, mode=0o700) as folder:
            self.work = folder.path / f"{name}.git"
        if not (self.work / "HEAD").is_file():
            self._checked(_git(["init", "--quiet", "--bare", str(self.work)], site), "prepare")
        fetched = self._git("fetch", "--quiet", repository, f"+{branch}:refs/heads/{branch}")
        if fetched.returncode != 0:
            if "couldn't find remote ref" not in fetched.stderr:
                raise self._failed(fetched, "reach")
            self._git("update-ref", "-d", f"refs/heads/{branch}")  # a branch made anew

    def _git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _git(list(args), self.work)

    def _failed(self, done: subprocess.CompletedProcess[str], doing: str) -> DeployError:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        last = lines[-1].removeprefix("fatal: ") if lines else f"git exited with {done.returncode}"
        return DeployError(f"cannot {doing} {self.repository}: {last}")

    def _checked(self, done: subprocess.CompletedProcess[str], doing: str) -> None:
        if done.returncode != 0:
            raise self._failed(done, doing)

    def plan(self, local: Mapping[str, Path]) -> Plan:
        listing = self._git("ls-tree", "-r", "-z", self.branch)
        remote: dict[str, str] = {}
        if listing.returncode == 0:  # "<mode> blob <id>\t<path>" each, NUL-separated
            for entry in filter(None, listing.stdout.split("\0")):
                about, _, path = entry.partition("\t")
                if path != NOJEKYLL:
                    remote[path] = about.split()[2]
        return make_plan(local, remote, _blob)

    def publish(self, out: Path, message: str) -> None:
        """One commit of the whole site on the branch, pushed (only new objects travel)."""
        before = self._git("rev-parse", "--verify", "--quiet", self.branch).stdout.strip()
        command = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--branch", self.branch]
        command += ["--message", message, str(out.resolve())]
        env = {**os.environ, **_committer()}
        made = subprocess.run(command, cwd=self.work, capture_output=True, text=True, env=env)
        after = self._git("rev-parse", "--verify", "--quiet", self.branch).stdout.strip()
        if made.returncode != 0 or not after or after == before:
            raise self._failed(made, "commit the site for")
        self._checked(self._git("push", "--quiet", self.repository, self.branch), "push to")


def _blob(path: Path) -> str:
    """The id git gives a file's content: what the branch's tree lists."""
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _committer() -> dict[str, str]:
    """A committer for the site's commits when git has none configured (a fresh CI runner)."""
    found = {}
    for key, variable, default in (
        ("user.name", "GIT_COMMITTER_NAME", "sovet"),
        ("user.email", "GIT_COMMITTER_EMAIL", "sovet@localhost"),
    ):
        if variable not in os.environ and not _git(["config", key], Path.cwd()).stdout.strip():
            found[variable] = default
    return found


def _git(args: Sequence[str], where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=where, capture_output=True, text=True, timeout=600)
