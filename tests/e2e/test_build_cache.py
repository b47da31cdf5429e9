"""Same output whatever the path: cold or warm, one process or two, cache or not."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from tests.conftest import CLOCK, PROJECT, run_build


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    shutil.copy(PROJECT / "site.toml", folder / "site.toml")
    shutil.copytree(PROJECT / "content", folder / "content")
    return folder


def build(site: Path, out: Path, *flags: str) -> str:
    result = run_build("build", "--site", str(site), "--out", str(out), "--clock", CLOCK, *flags)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_jobs_and_cache_do_not_change_the_output(site: Path, tmp_path: Path) -> None:
    one = tmp_path / "one"
    two = tmp_path / "two"
    build(site, one, "--jobs", "1", "--no-cache")
    assert not (site / ".sovet-cache").exists()
    build(site, two, "--jobs", "2")
    assert (site / ".sovet-cache" / "state.pickle").is_file()
    assert tree(one) == tree(two)
    warm = tmp_path / "warm"
    build(site, warm, "--jobs", "2")  # bodies from the cache
    assert tree(warm) == tree(one)


def test_nothing_changed_does_nothing_and_any_change_rebuilds(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert "Built" in build(site, out)
    before = tree(out)
    assert "Nothing changed" in build(site, out)
    assert tree(out) == before

    comment = next(site.glob("content/advice/*/comments/*.md"))
    comment.write_text(comment.read_text("utf-8") + "\nЕщё одна мысль.\n", "utf-8")
    assert "Built" in build(site, out)
    assert "Ещё одна мысль" in (
        out / "advice" / comment.parent.parent.name / "index.html"
    ).read_text("utf-8")

    (out / "index.html").write_text("damaged", "utf-8")
    assert "Built" in build(site, out)
    assert (out / "index.html").read_text("utf-8") != "damaged"

    toml = site / "site.toml"
    toml.write_text(toml.read_text("utf-8").replace("per_page = 5", "per_page = 4"), "utf-8")
    assert "Built" in build(site, out)
    assert "Nothing changed" in build(site, out)


def test_a_damaged_cache_is_ignored(site: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    build(site, reference, "--no-cache")
    build(site, tmp_path / "first")
    for name in ("state.pickle", "bodies.pickle"):
        (site / ".sovet-cache" / name).write_bytes(b"not a pickle")
    out = tmp_path / "out"
    assert "Built" in build(site, out)
    assert tree(out) == tree(reference)


def test_deleting_an_advice_leaves_nothing_of_it(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out)
    shutil.rmtree(site / "content/advice/pervyi-naim")
    build(site, out)
    assert not (out / "advice/pervyi-naim").exists()
    every_text = " ".join(
        p.read_text("utf-8") for p in out.rglob("*") if p.suffix in (".html", ".xml", ".txt")
    )
    assert "/advice/pervyi-naim/" not in every_text
    fresh = tmp_path / "fresh"
    build(site, fresh, "--no-cache")
    assert tree(out) == tree(fresh)


def test_a_cache_written_by_someone_else_is_never_unpickled(site: Path, tmp_path: Path) -> None:
    """A shared site folder may carry a crafted pickle: without this user's signature it is
    ignored, so it can run nothing."""
    import pickle

    build(site, tmp_path / "first")
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Evil(str(marker)))
    for name in ("state.pickle", "bodies.pickle"):
        (site / ".sovet-cache" / name).write_bytes(b"\0" * 32 + payload)
    assert "Built" in build(site, tmp_path / "out")
    assert not marker.exists()


class _Evil:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (open, (self.path, "w"))


def test_reading_and_rendering_on_two_processes_gives_the_same_site(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample is too small to fork for; with the threshold at 1 every step forks."""
    from sovet import parallel
    from sovet.assemble import Options
    from sovet.pipeline import load_site, render_site
    from sovet.problems import BuildFailed

    now = dt.datetime.fromisoformat(CLOCK)
    made = {}
    for jobs in (1, 2):
        monkeypatch.setattr(parallel, "MIN_PARALLEL", 1 if jobs > 1 else 64)
        built, theme = load_site(site, Options(now=now, jobs=jobs))
        made[jobs] = render_site(built, theme, jobs=jobs, search=False)
    assert made[1] == made[2]

    broken = next(site.glob("content/advice/*/comments/*.md"))
    broken.write_text("---\nauthor: [\n---\nТекст.\n", "utf-8")
    with pytest.raises(BuildFailed) as failed:
        load_site(site, Options(now=now, jobs=2))
    assert any(p.path.endswith(broken.name) and p.line == 3 for p in failed.value.problems)
