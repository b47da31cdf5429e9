"""Same output whatever the path: cold or warm, one process or two, cache or not.

A build keeps rendered bodies in segment files, not in memory: the site is the same, the
cache's segments are trusted only as they were left, and nothing is left beside the output.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from sovet.diskcache import DiskCache, Target
from tests.conftest import CLOCK, PROJECT, run_build


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


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


def test_the_output_stamp_a_build_saves_is_the_output_as_it_is(site: Path, tmp_path: Path) -> None:
    """A build writing into the output it replaced last time lists the files left there while
    it prunes it; that listing is the stamp a walk of the new output takes, so the next build
    finds nothing changed."""
    out = tmp_path / "out"
    build(site, out)
    edit_a_comment(site, "Первая мысль.")
    build(site, out)
    spare = tmp_path / ".out.previous"
    (spare / "stray.txt").write_text("not the site's", "utf-8")
    (spare / "advice" / "gone").mkdir()
    (spare / "advice" / "gone" / "index.html").write_text("<p>gone</p>", "utf-8")
    edit_a_comment(site, "Вторая мысль.")
    build(site, out)
    assert not (out / "stray.txt").exists() and not (out / "advice" / "gone").exists()
    assert DiskCache(site).load().output == DiskCache.output_stamp(out)
    assert "Nothing changed" in build(site, out)


def test_an_edit_in_an_advice_folder_kept_elsewhere_in_the_site_rebuilds(
    site: Path, tmp_path: Path
) -> None:
    """An advice folder may be a link to a folder of the site (an archive kept apart): an
    edit there is a change like any other."""
    folder = next(site.glob("content/advice/*/comments")).parent
    archive = site / "archive" / folder.name
    archive.parent.mkdir()
    folder.rename(archive)
    folder.symlink_to(Path("..", "..", "archive", folder.name))
    out = tmp_path / "out"
    build(site, out)
    assert "Nothing changed" in build(site, out)
    comment = next(archive.glob("comments/*.md"))
    comment.write_text(comment.read_text("utf-8") + "\nАрхивная запись.\n", "utf-8")
    assert "Built" in build(site, out)
    assert "Архивная запись" in (out / "advice" / folder.name / "index.html").read_text("utf-8")


def test_what_the_stamps_walk_notices_deep_in_the_output_and_in_an_advice_folder(
    site: Path, tmp_path: Path
) -> None:
    """A file added or touched deep in the output, a comment that is a link whose target is
    edited, and a comments folder taken away: each is a change, however deep it sits."""
    deep = site / "static" / Path(*["d"] * 200)
    deep.mkdir(parents=True)
    (deep / "note.txt").write_text("глубоко", "utf-8")
    out = tmp_path / "out"
    reference = tmp_path / "reference"
    build(site, out)
    assert "Nothing changed" in build(site, out)

    copied = out / Path(*["d"] * 200) / "note.txt"  # a site's static files go to the root
    copied.write_text("подменено", "utf-8")
    assert "Built" in build(site, out)
    assert copied.read_text("utf-8") == "глубоко"
    (copied.parent / "stray.html").write_text("чужое", "utf-8")
    assert "Built" in build(site, out)
    assert not (copied.parent / "stray.html").exists()

    folder = next(site.glob("content/advice/*/comments")).parent
    comment = next(folder.glob("comments/*.md"))
    kept = site / "archive" / comment.name
    kept.parent.mkdir()
    comment.rename(kept)
    comment.symlink_to(Path("..", "..", "..", "..", "archive", comment.name))
    assert "Built" in build(site, out)
    assert "Nothing changed" in build(site, out)
    kept.write_text(kept.read_text("utf-8") + "\nСсылочная запись.\n", "utf-8")
    assert "Built" in build(site, out)
    page = out / "advice" / folder.name / "index.html"
    assert "Ссылочная запись" in page.read_text("utf-8")

    shutil.rmtree(folder / "comments")
    assert "Built" in build(site, out)
    assert "Ссылочная запись" not in page.read_text("utf-8")
    build(site, reference, "--no-cache")
    assert tree(out) == tree(reference)


def test_a_damaged_cache_is_ignored(site: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    build(site, reference, "--no-cache")
    build(site, tmp_path / "first")
    for name in ("state.pickle", "bodies.pickle", "templates.pickle"):
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
    for name in ("state.pickle", "bodies.pickle", "templates.pickle"):
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


SEGMENTS = Path(".sovet-cache/bodies")


def segments(site: Path) -> list[Path]:
    return sorted((site / SEGMENTS).glob("segment-*"))


def edit_a_comment(site: Path, words: str) -> None:
    comment = site / "content/advice/pervyi-naim/comments/inna-1.md"
    comment.write_text(comment.read_text("utf-8") + f"\n{words}\n", "utf-8")


def test_bodies_rendered_by_workers_come_back_from_their_segments(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the fork threshold at 1, each worker renders into a segment of its own."""
    from sovet import parallel
    from sovet.assemble import Options
    from sovet.pipeline import build as build_in_process

    reference = tmp_path / "reference"
    build(site, reference, "--jobs", "1", "--no-cache")
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    options = Options(now=dt.datetime.fromisoformat(CLOCK), jobs=2)
    out = tmp_path / "out"
    build_in_process(site, out, options)
    assert len(segments(site)) >= 2
    assert tree(out) == tree(reference)

    edit_a_comment(site, "Сегментоправка.")
    build_in_process(site, out, options)
    build(site, reference, "--jobs", "1", "--no-cache")
    assert tree(out) == tree(reference)
    assert "Сегментоправка" in (out / "advice/pervyi-naim/index.html").read_text("utf-8")


@pytest.mark.parametrize("damage", ["truncated", "rewritten", "removed"])
def test_a_segment_changed_since_the_build_is_not_trusted(
    site: Path, tmp_path: Path, damage: str
) -> None:
    build(site, tmp_path / "first")
    (segment,) = segments(site)
    data = segment.read_bytes()
    if damage == "truncated":
        segment.write_bytes(data[: len(data) // 2])
    elif damage == "rewritten":
        segment.write_bytes(data.replace("клиент".encode(), "КЛИЕНТ".encode()))
    else:
        segment.unlink()
    edit_a_comment(site, "Ещё одна мысль.")
    out = tmp_path / "out"
    build(site, out)
    reference = tmp_path / "reference"
    build(site, reference, "--no-cache")
    assert tree(out) == tree(reference)
    assert "КЛИЕНТ" not in (out / "index.html").read_text("utf-8")


def test_a_build_without_the_cache_leaves_nothing_beside_the_output(
    site: Path, tmp_path: Path
) -> None:
    parent = tmp_path / "www"
    killed = parent / ".site.bodies-999999"  # a build killed while it rendered
    killed.mkdir(parents=True)
    (killed / "segment-0-999999").write_bytes(b"<p>")
    build(site, parent / "site", "--no-cache")
    assert sorted(p.name for p in parent.iterdir()) == ["site"]
    assert not (site / ".sovet-cache").exists()


def test_a_build_that_finds_the_cache_busy_goes_on_without_it(site: Path, tmp_path: Path) -> None:
    """Two builds of one site into two folders: the second neither reads nor spoils the
    first's segments."""
    build(site, tmp_path / "first")
    pickled = site / ".sovet-cache" / "bodies.pickle"
    before = pickled.read_bytes(), [p.read_bytes() for p in segments(site)]
    edit_a_comment(site, "Пока другая сборка держит кэш.")
    fd = os.open(site / SEGMENTS, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        out = tmp_path / "out"
        build(site, out)
    finally:
        os.close(fd)
    assert (pickled.read_bytes(), [p.read_bytes() for p in segments(site)]) == before
    reference = tmp_path / "reference"
    build(site, reference, "--no-cache")
    assert tree(out) == tree(reference)


def test_segments_mostly_of_old_bodies_are_rewritten_into_one(tmp_path: Path) -> None:
    from sovet.bodies import Stored
    from sovet.diskcache import DiskCache
    from sovet.markdown import Rendered

    cache = DiskCache(tmp_path)
    key = ("ru", True)
    with cache.segments() as first:
        assert first is not None
        gone = first.keep(Rendered("<p>" + "старое " * 200_000 + "</p>", "старое"))
        kept = first.keep(Rendered("<p>Ёлка — «ель»</p>", "Ёлка — «ель»"))
        assert isinstance(gone, Stored) and isinstance(kept, Stored)
        cache.save_bodies(key, {(b"gone", False): gone, (b"kept", True): kept}, first)
    with cache.segments() as second:
        assert second is not None
        loaded = cache.bodies(key)
        assert set(loaded) == {(b"gone", False), (b"kept", True)}
        cache.save_bodies(key, {(b"kept", True): loaded[(b"kept", True)]}, second)
    (segment,) = sorted((tmp_path / SEGMENTS).glob("segment-*"))
    assert segment.stat().st_size == len("<p>Ёлка — «ель»</p>Ёлка — «ель»".encode())
    with cache.segments() as third:
        assert third is not None
        (body,) = cache.bodies(key).values()
        assert (body.html, body.text) == ("<p>Ёлка — «ель»</p>", "Ёлка — «ель»")
    shutil.rmtree(tmp_path / ".sovet-cache")


def test_after_an_edit_only_the_edited_body_is_rendered(site: Path, tmp_path: Path) -> None:
    """The bodies of pages, drafts and scheduled advices stay in the cache like the rest."""
    assert any("draft: true" in p.read_text("utf-8") for p in site.glob("content/**/*.md"))
    out = tmp_path / "out"
    build(site, out, "--drafts")
    build(site, out)
    before = set(segments(site))
    edit_a_comment(site, "Одна правка.")
    build(site, out)
    (new,) = set(segments(site)) - before
    assert "Одна правка" in (out / "advice/pervyi-naim/index.html").read_text("utf-8")
    comment = site / "content/advice/pervyi-naim/comments/inna-1.md"
    assert new.stat().st_size < 3 * comment.stat().st_size  # its HTML and text, nothing else


def test_a_full_disk_while_bodies_are_written_is_an_error_not_a_crash(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from sovet import bodies
    from sovet.assemble import Options
    from sovet.pipeline import build as build_in_process
    from sovet.problems import BuildFailed

    out = tmp_path / "out"
    build(site, out, "--no-cache")
    before = tree(out)

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(bodies.os, "write", full)
    for use_cache in (True, False):
        with pytest.raises(BuildFailed) as failed:
            build_in_process(
                site, out, Options(now=dt.datetime.fromisoformat(CLOCK)), None, use_cache=use_cache
            )
        (problem,) = failed.value.problems
        assert "No space left on device" in problem.message
        assert tree(out) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_one_cache_however_the_folders_are_written(site: Path, tmp_path: Path) -> None:
    """`--site site --out out` from the folder above, then the same folders written in full:
    the second build finds nothing changed instead of reading and rendering everything."""
    first = run_build("build", "--site", "site", "--out", "out", "--clock", CLOCK, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "into out in" in first.stdout
    again = build(site, tmp_path / "out")
    assert "Nothing changed since the last build" in again


def test_segments_rewritten_into_one_keep_the_column(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept column moves with its bodies: after the rewrite the next build still finds it,
    reads every body from its new place, and builds what a cold build does."""
    from sovet import diskcache
    from sovet.assemble import Options
    from sovet.pipeline import build as build_in_process
    from sovet.problems import Problems
    from sovet.settings import load_settings

    monkeypatch.setattr(diskcache, "MOST_SEGMENTS", 0)  # every build rewrites them
    options = Options(now=dt.datetime.fromisoformat(CLOCK), jobs=1)
    out = tmp_path / "out"
    build_in_process(site, out, options)
    edit_a_comment(site, "Первая правка.")
    build_in_process(site, out, options)
    assert len(segments(site)) == 1
    settings = load_settings(site, Problems())
    assert diskcache.DiskCache(site).model((settings, False, False)) is not None
    edit_a_comment(site, "Вторая правка.")
    build_in_process(site, out, options)
    reference = tmp_path / "reference"
    build(site, reference, "--no-cache")
    assert tree(out) == tree(reference)


def buckets(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (site / ".sovet-cache").glob("model-*.pickle")}


def test_an_edit_writes_only_the_buckets_of_the_edited_advice(site: Path, tmp_path: Path) -> None:
    """The kept column is saved by buckets of advices: after one edit, only the buckets that
    held the old version and hold the new one are written (under new names), the others
    stay as they were; a bucket that is damaged or gone means the column is assembled
    again, and the site is the same."""
    out = tmp_path / "out"
    build(site, out)
    before = buckets(site)
    assert len(before) > 1
    edit_a_comment(site, "Правка в одном ведре.")
    build(site, out)
    after = buckets(site)
    # the buckets that held the old version and that hold the new one (maybe the same)
    assert len(set(before) - set(after)) <= 2 and 1 <= len(set(after) - set(before)) <= 2
    assert len(set(before) & set(after)) >= len(before) - 2
    assert all(after[name] == data for name, data in before.items() if name in after)

    reference = tmp_path / "reference"
    build(site, reference, "--no-cache")
    for damage in ("truncate", "remove"):
        edit_a_comment(site, f"Правка: {damage}.")
        build(site, reference, "--no-cache")
        bucket = site / ".sovet-cache" / sorted(buckets(site))[0]
        if damage == "remove":
            bucket.unlink()
        else:
            bucket.write_bytes(bucket.read_bytes()[:-10])
        build(site, out)
        assert tree(out) == tree(reference)


def test_templates_are_compiled_once_and_again_when_edited(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jinja's compiled templates are kept with the cache: the next build compiles none,
    and a template edited since is compiled again, so the edit shows."""
    import jinja2

    from sovet.assemble import Options
    from sovet.pipeline import build as build_in_process

    compiled: list[str | None] = []
    compile_source = jinja2.Environment.compile

    def counted(env: jinja2.Environment, source: str, name: str | None = None, *rest: Any) -> Any:
        compiled.append(name)
        return compile_source(env, source, name, *rest)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    options = Options(now=dt.datetime.fromisoformat(CLOCK))
    out = tmp_path / "out"
    build_in_process(site, out, options)
    assert "advice.html" in compiled
    compiled.clear()
    edit_a_comment(site, "Без новых шаблонов.")
    build_in_process(site, out, options)
    assert compiled == []
    toml = site / "site.toml"  # every page made again: a few pages' build kept the others' code
    toml.write_text(toml.read_text("utf-8").replace("per_page = 5", "per_page = 4"), "utf-8")
    build_in_process(site, out, options)
    assert compiled == []

    page = site / "templates" / "404.html"
    page.parent.mkdir()
    theme = (PROJECT / "themes/default/templates/404.html").read_text("utf-8")
    page.write_text(theme.replace("{% block main %}", "{% block main %}Шаблон правлен."), "utf-8")
    build_in_process(site, out, options)
    assert compiled == ["404.html"]
    assert "Шаблон правлен." in (out / "404.html").read_text("utf-8")


def test_the_catalogue_is_compiled_once_and_again_when_edited(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme's catalogue is kept compiled with the templates: a build in a new process
    compiles it only when it changed, and the edit shows."""
    from sovet import i18n
    from sovet.assemble import Options
    from sovet.pipeline import build as build_in_process

    compiled: list[str] = []
    compile_catalogue = i18n.compile_catalogue

    def counted(po: bytes, language: str) -> bytes:
        compiled.append(language)
        return compile_catalogue(po, language)

    monkeypatch.setattr(i18n, "compile_catalogue", counted)
    options = Options(now=dt.datetime.fromisoformat(CLOCK))
    out = tmp_path / "out"

    def build_anew() -> None:
        i18n._MEMO.clear()  # what a build in a process of its own starts with
        build_in_process(site, out, options)

    build_anew()
    assert compiled == ["ru"]
    edit_a_comment(site, "Без новых строк.")
    build_anew()
    assert compiled == ["ru"]

    catalogue = site / "themes/default/locales/ru.po"
    catalogue.parent.mkdir(parents=True)
    shipped = (PROJECT / "themes/default/locales/ru.po").read_text("utf-8")
    catalogue.write_text(shipped.replace('msgstr "Ответить"', 'msgstr "Возразить"'), "utf-8")
    build_anew()
    assert compiled == ["ru", "ru"]
    page = (out / "advice/pervyi-naim/index.html").read_text("utf-8")
    assert ">Возразить<" in page and ">Ответить<" not in page


def _stamps(disk: DiskCache, out: Path) -> tuple[bytes, dict[str, bytes], bytes]:
    stamp = disk.build_stamp(Target(out))
    return stamp, dict(disk.folder_stamps), disk.output_at_start(out)


def test_stamps_taken_ahead_are_those_taken_in_the_build(site: Path, tmp_path: Path) -> None:
    """A build's stamps are taken on a forked process while it reads the last build's column:
    they are the ones the build would take itself, and a change is seen in both."""
    out = tmp_path / "out"
    build(site, out)
    comment = next(site.glob("content/advice/*/comments/*.md"))
    comment.write_text(comment.read_text("utf-8") + "\nЕщё одна мысль.\n", "utf-8")
    (out / "extra.txt").write_text("a file put there by hand", "utf-8")
    ahead = DiskCache(site)
    ahead.stamp_ahead(Target(out))
    ahead.load()
    here = DiskCache(site)
    here.load()
    taken = _stamps(ahead, out)
    assert ahead._output_then is not None  # they came from the forked process
    assert taken == _stamps(here, out)
    assert taken[2] == DiskCache.output_stamp(out)
    assert comment.parent.parent.name in taken[1]


def test_an_output_another_build_replaced_meanwhile_is_stamped_again(
    site: Path, tmp_path: Path
) -> None:
    """The output's stamp is taken before this build holds the output's lock: when another
    build has put a new output in place since (and saved its state), it is taken again."""
    out = tmp_path / "out"
    build(site, out)
    disk = DiskCache(site)
    disk.stamp_ahead(Target(out))
    disk.load()
    before = _stamps(disk, out)[2]
    comment = next(site.glob("content/advice/*/comments/*.md"))
    comment.write_text(comment.read_text("utf-8") + "\nЕщё одна мысль.\n", "utf-8")
    build(site, out)  # the other build
    assert DiskCache.output_stamp(out) != before
    assert disk.output_at_start(out) == DiskCache.output_stamp(out)


def test_a_stamping_process_that_fails_is_stood_in_for(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build(site, out)
    parent = os.getpid()
    walk = DiskCache._input_stamp

    def failing_in_the_child(self: DiskCache, *options: object) -> bytes:
        if os.getpid() != parent:
            raise OSError("the walk failed")
        return walk(self, *options)

    monkeypatch.setattr(DiskCache, "_input_stamp", failing_in_the_child)
    disk = DiskCache(site)
    disk.stamp_ahead(Target(out))
    disk.load()
    assert _stamps(disk, out) == _stamps(DiskCache(site), out)


def test_stamps_a_build_did_not_get_to_leave_no_process_behind(site: Path, tmp_path: Path) -> None:
    disk = DiskCache(site)
    disk.stamp_ahead(Target(tmp_path / "out"))
    assert disk._ahead is not None
    pid = disk._ahead.pid
    disk.drop_ahead()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
