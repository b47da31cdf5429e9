"""`sovet deploy`: the built site to where readers get it, changing only what changed.

The target comes from `[deploy]` in site.toml (or the command line): an rclone remote path,
or else a git repository and branch. Before anything is sent, the output folder must be the
build of the site as it is now (not one a failed build left behind, nor one older than the
content), and the deploy may not delete more than `max_delete` of what the remote holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from ..diskcache import DiskCache, Target
from ..settings import Settings
from . import ghpages, rclone
from .plan import DeployError, Plan, built_files, check_deletions


@dataclass(frozen=True)
class Where:
    """Where a deploy goes: an rclone target, or a repository and branch."""

    target: str = ""
    repository: str = ""
    branch: str = "gh-pages"


def where(
    settings: Settings, target: str | None, repository: str | None, branch: str | None
) -> Where:
    """The command line's choice over site.toml's."""
    chosen = settings.deploy
    if target is not None or repository is not None:
        return Where(target or "", repository or "", branch or chosen["branch"])
    return Where(chosen["target"], chosen["repository"], branch or chosen["branch"])


def check_built(settings: Settings, out: Path) -> None:
    """The output must be what `sovet build` makes of the site now."""
    if not (out / "index.html").is_file():
        raise DeployError(f"{out} holds no built site: run `sovet build` first")
    if DiskCache(settings.root).fresh_summary(Target(out)) is None:
        raise DeployError(
            f"{out} is not the build of the site as it is now (something changed since, a "
            "build failed, or it was built with other options): run `sovet build` first"
        )


def deploy(
    settings: Settings,
    out: Path,
    chosen: Where,
    dry_run: bool,
    force: bool,
    console: Console,
) -> int:
    check_built(settings, out)
    local = built_files(out)
    if chosen.target:
        remote = rclone.Remote(chosen.target)
        name = rclone.shown(chosen.target)
    else:
        repository = chosen.repository or ghpages.origin(settings.root)
        branch = ghpages.Branch(settings.root, repository, chosen.branch)
        name = f"{repository} ({chosen.branch})"
    plan = remote.plan(local) if chosen.target else branch.plan(local)
    if dry_run:
        _tell(console, plan, name, dry=True)
        return 0
    check_deletions(plan, settings.deploy["max_delete"], force)
    if chosen.target:
        remote.send(out, plan.assets)  # new styles and scripts before the pages that load them
        remote.send(out, plan.pages)
        remote.delete(plan.delete)
        remote.record(local)
    elif plan.send or plan.delete:
        branch.publish(out, f"Site built by sovet: {len(plan.send)} files changed")
    _tell(console, plan, name, dry=False)
    return 0


def _tell(console: Console, plan: Plan, name: str, dry: bool) -> None:
    """What was (or would be) sent and deleted, file by file, then in one line."""
    verb = ("would send", "would delete") if dry else ("sent", "deleted")
    for path in plan.send:
        console.print(f"  {verb[0]} {path}", markup=False, highlight=False)
    for path in plan.delete:
        console.print(f"  {verb[1]} {path}", markup=False, highlight=False)
    if not plan.send and not plan.delete:
        console.print(f"{name} is up to date: nothing to send", markup=False, highlight=False)
        return
    summary = f"{verb[0].capitalize()} {len(plan.send)} files, {verb[1]} {len(plan.delete)}"
    console.print(f"{summary} ({name})", markup=False, highlight=False)


__all__ = ["DeployError", "Where", "deploy", "where"]
