"""The guarded writer: a swap only on success, nothing written outside the output folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from sovet.output import UnsafeOutput, check_out_dir, safe_target, write_site


def test_write_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(out, {PurePosixPath("a/index.html"): b"one", PurePosixPath("old.txt"): b"x"})
    write_site(out, {PurePosixPath("a/index.html"): b"two"})
    assert (out / "a/index.html").read_bytes() == b"two"
    assert not (out / "old.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


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
