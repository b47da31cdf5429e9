"""What a deploy sends and deletes: the built files against what the remote holds.

Both ways of deploying (an rclone remote, a git branch) list the remote as paths with
something that tells a changed file (a hash, or a size and sovet's own record of the last
deploy), and get back the same plan: the files to send, assets before pages, so a reader in
the middle of a deploy never gets a page whose stylesheet is not there yet, and the stale
files to delete last.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Pages are sent after everything they load (hashed styles and scripts, images, the index).
PAGE_SUFFIXES = (".html", ".xml", ".txt")


@dataclass(frozen=True)
class Plan:
    send: tuple[str, ...]  # assets first, then pages
    delete: tuple[str, ...]
    remote_files: int

    @property
    def assets(self) -> list[str]:
        return [path for path in self.send if not path.endswith(PAGE_SUFFIXES)]

    @property
    def pages(self) -> list[str]:
        return [path for path in self.send if path.endswith(PAGE_SUFFIXES)]

    @property
    def deleted_share(self) -> float:
        return len(self.delete) / self.remote_files if self.remote_files else 0.0


class DeployError(Exception):
    """A deploy that cannot or must not go ahead; the message says why and what to do."""


def built_files(out: Path) -> dict[str, Path]:
    """Every file of the output folder by its path there ('advice/x/index.html')."""
    return {
        PurePosixPath(path.relative_to(out).as_posix()).as_posix(): path
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def make_plan(
    local: Mapping[str, Path],
    remote: Mapping[str, str],
    digest: Callable[[Path], str],
) -> Plan:
    """LOCAL files against REMOTE ones (path -> what identifies its content there, computed
    for a local file by DIGEST)."""
    changed = [path for path, file in local.items() if remote.get(path) != digest(file)]
    first = [path for path in changed if not path.endswith(PAGE_SUFFIXES)]
    then = [path for path in changed if path.endswith(PAGE_SUFFIXES)]
    return Plan(tuple(first + then), tuple(sorted(set(remote) - set(local))), len(remote))


def check_deletions(plan: Plan, max_delete: float, force: bool) -> None:
    """A wrong target (another site, a bucket's root) would see most of it deleted: refused
    beyond MAX_DELETE of the remote's files unless FORCE."""
    if force or plan.deleted_share <= max_delete:
        return
    share = f"{plan.deleted_share:.0%}"
    raise DeployError(
        f"this deploy would delete {len(plan.delete)} of the {plan.remote_files} files there "
        f"({share}, more than [deploy] max_delete = {max_delete:g}): check the target, or "
        "add --force if that is what you want"
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
