"""The guarded writer: a swap only on success, nothing written outside the output folder."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from sovet.diskcache import stamp_lines
from sovet.output import UnsafeOutput, check_out_dir, safe_target, spare, staged, write_site


def test_write_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(out, {PurePosixPath("a/index.html"): b"one", PurePosixPath("old.txt"): b"x"})
    write_site(out, {PurePosixPath("a/index.html"): b"two"})
    assert (out / "a/index.html").read_bytes() == b"two"
    assert not (out / "old.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.previous", "out"]


def test_a_failed_write_leaves_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(out, {PurePosixPath("index.html"): b"good"})
    with pytest.raises(UnsafeOutput):
        write_site(out, {PurePosixPath("index.html"): b"new", PurePosixPath("../evil"): b"x"})
    assert (out / "index.html").read_bytes() == b"good"
    assert not (tmp_path / "evil").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("relative", ["../x", "/etc/passwd", "a/../../x", ""])
def test_paths_outside_are_refused(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UnsafeOutput):
        safe_target(tmp_path, PurePosixPath(relative))


def test_symlink_escape_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)
    with pytest.raises(UnsafeOutput):
        safe_target(tmp_path / "out", PurePosixPath("link/x"))


def test_output_folder_checks(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    check_out_dir(site / "output", site)
    check_out_dir(tmp_path / "elsewhere", site)
    for bad in (site, tmp_path, Path("/"), site / "content" / "out"):
        with pytest.raises(UnsafeOutput):
            check_out_dir(bad, site)


def files(named: dict[str, bytes]) -> dict[PurePosixPath, bytes]:
    return {PurePosixPath(name): data for name, data in named.items()}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_the_next_build_writes_into_the_output_it_replaced(tmp_path: Path) -> None:
    """Its folders are reused, and what the new site does not have goes."""
    out = tmp_path / "out"
    write_site(out, files({"index.html": b"1", "a/index.html": b"1", "gone/x.html": b"1"}))
    write_site(out, files({"index.html": b"2", "a/index.html": b"2", "b/index.html": b"2"}))
    assert tree(spare(out)) == {"index.html": b"1", "a/index.html": b"1", "gone/x.html": b"1"}
    folder = (spare(out) / "a").stat().st_ino
    write_site(out, files({"index.html": b"3", "a/index.html": b"3"}))
    assert tree(out) == {"index.html": b"3", "a/index.html": b"3"}
    assert sorted(p.name for p in out.iterdir()) == ["a", "index.html"]  # no empty gone/
    assert (out / "a").stat().st_ino == folder
    assert tree(spare(out))["b/index.html"] == b"2"


def test_a_file_overwritten_in_the_spare_holds_only_its_new_bytes(tmp_path: Path) -> None:
    """Overwritten in place, a page that got shorter keeps nothing of its longer self."""
    out = tmp_path / "out"
    long, short = b"<p>" + "долгий ответ ".encode() * 500 + b"</p>", b"<p>short</p>"
    write_site(out, files({"index.html": long}))
    write_site(out, files({"index.html": b"2"}))
    kept = (spare(out) / "index.html").stat().st_ino
    write_site(out, files({"index.html": short}))
    assert (out / "index.html").stat().st_ino == kept  # the same file, written over
    assert tree(out) == {"index.html": short}
    write_site(out, files({"index.html": b"3"}))
    write_site(out, files({"index.html": long}))
    assert tree(out) == {"index.html": long}


def test_a_file_the_output_shares_is_never_written_through(tmp_path: Path) -> None:
    """An unchanged file is the same file in the output and in the folder the next build
    writes into: writing it there must not change the site readers see until the swap."""
    out = tmp_path / "out"
    write_site(out, files({"index.html": b"1", "page.html": b"same"}))
    with staged(out) as staging:
        staging.write(PurePosixPath("index.html"), b"2")
        staging.link(PurePosixPath("page.html"), out / "page.html")
    assert (out / "page.html").stat().st_ino == (spare(out) / "page.html").stat().st_ino
    with staged(out) as staging:
        staging.write(PurePosixPath("index.html"), b"3")
        staging.write(PurePosixPath("page.html"), b"changed")
        assert tree(out) == {"index.html": b"2", "page.html": b"same"}
    assert tree(out) == {"index.html": b"3", "page.html": b"changed"}
    assert tree(spare(out)) == {"index.html": b"2", "page.html": b"same"}


def test_nothing_in_the_spare_is_trusted(tmp_path: Path) -> None:
    """Links, a folder where a file goes and a file where a folder goes: the new site is
    exactly what the build wrote, and nothing outside is touched."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes(b"keep")
    out = tmp_path / "out"
    write_site(out, files({"index.html": b"1"}))
    write_site(out, files({"index.html": b"2"}))
    kept = spare(out)
    (kept / "index.html").unlink()
    (kept / "index.html").symlink_to(outside / "index.html")
    (kept / "a").symlink_to(outside)
    (kept / "b.html").mkdir()
    (kept / "b.html" / "x").write_bytes(b"x")
    (kept / "c").write_bytes(b"a file where a folder goes")
    (kept / "extra").mkdir()
    write_site(
        out, files({"index.html": b"3", "a/index.html": b"3", "b.html": b"3", "c/index.html": b"3"})
    )
    assert tree(out) == {
        "index.html": b"3",
        "a/index.html": b"3",
        "b.html": b"3",
        "c/index.html": b"3",
    }
    assert not any(p.is_symlink() for p in out.rglob("*"))
    assert tree(outside) == {"index.html": b"keep"}


def test_a_failed_build_keeps_the_spare(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(out, files({"index.html": b"1"}))
    write_site(out, files({"index.html": b"2"}))
    with pytest.raises(RuntimeError), staged(out) as staging:
        staging.write(PurePosixPath("index.html"), b"3")
        raise RuntimeError("a broken link, say")
    assert tree(out) == {"index.html": b"2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.previous", "out"]


NOBODY = 65534


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
def test_a_neighbours_files_in_the_spare_are_never_written_into(tmp_path: Path) -> None:
    """Another user's folder or file there would stay theirs, and with it the site after the
    swap: each is replaced by one of this user's, and a spare planted whole is not used."""
    out = tmp_path / "out"
    write_site(out, files({"index.html": b"1", "a/index.html": b"1"}))
    write_site(out, files({"index.html": b"2", "a/index.html": b"2"}))
    for path in (spare(out) / "a", spare(out) / "a" / "index.html", spare(out) / "index.html"):
        os.chown(path, NOBODY, NOBODY)
    write_site(out, files({"index.html": b"3", "a/index.html": b"3"}))
    assert tree(out) == {"index.html": b"3", "a/index.html": b"3"}
    assert {p.stat().st_uid for p in out.rglob("*")} == {os.getuid()}

    planted = tmp_path / "planted"
    write_site(planted, files({"index.html": b"1"}))
    write_site(planted, files({"index.html": b"2"}))
    theirs = spare(planted)
    os.chown(theirs, NOBODY, NOBODY)
    os.chown(theirs / "index.html", NOBODY, NOBODY)
    write_site(planted, files({"index.html": b"3"}))
    assert {p.stat().st_uid for p in [planted, *planted.rglob("*")]} == {os.getuid()}
    assert tree(theirs) == {"index.html": b"1"}  # left alone


def test_a_kept_file_is_never_linked_through_a_link_in_the_spare(tmp_path: Path) -> None:
    """The spare's links (to a file, to a folder) where kept files go are replaced, not
    followed; a kept file that is itself a link is refused."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "page.html").write_bytes(b"keep")
    out = tmp_path / "out"
    write_site(out, files({"index.html": b"1", "page.html": b"same", "a/page.html": b"deep"}))
    write_site(out, files({"index.html": b"2", "page.html": b"same", "a/page.html": b"deep"}))
    kept = spare(out)
    (kept / "page.html").unlink()
    (kept / "page.html").symlink_to(outside / "page.html")
    (kept / "a" / "page.html").unlink()
    (kept / "a").rmdir()
    (kept / "a").symlink_to(outside, target_is_directory=True)
    with staged(out) as staging:
        staging.write(PurePosixPath("index.html"), b"3")
        staging.link(PurePosixPath("page.html"), str(out / "page.html"))
        staging.link(PurePosixPath("a/page.html"), out / "a" / "page.html")
    assert tree(out) == {"index.html": b"3", "page.html": b"same", "a/page.html": b"deep"}
    assert not any(p.is_symlink() for p in out.rglob("*"))
    assert tree(outside) == {"page.html": b"keep"}
    (out / "page.html").unlink()
    (out / "page.html").symlink_to(outside / "page.html")
    with pytest.raises(UnsafeOutput, match="not a file sovet wrote"), staged(out) as staging:
        staging.link(PurePosixPath("page.html"), str(out / "page.html"))
    assert tree(outside) == {"page.html": b"keep"}


def test_the_listing_taken_while_pruning_is_the_stamp_a_walk_takes(tmp_path: Path) -> None:
    """The output's stamp is taken while the spare is pruned (the same walk): it equals a
    walk of the new output, with links, folders and odd names left in the spare."""
    out = tmp_path / "вывод с пробелом"
    site = {"index.html": b"1", "a b/index.html": b"1", "ё/ж/index.html": b"1", "z.css": b"1"}
    write_site(out, files(site))
    write_site(out, files(site))
    kept = spare(out)
    (kept / "a b" / "index.html").unlink()
    (kept / "a b" / "index.html").symlink_to(tmp_path)
    (kept / "ё" / "link").symlink_to(tmp_path)
    (kept / "ё" / "лишнее").mkdir()
    (kept / "ё" / "лишнее" / "x").write_bytes(b"x")
    with staged(out) as staging:
        for relative, data in files({**site, "index.html": b"2", "ё/new.html": b"2"}).items():
            staging.write(relative, data)
    assert staging.listing is not None
    assert "".join(staging.listing) == stamp_lines(out)
    assert len(staging.listing) == 5
