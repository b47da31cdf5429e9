"""Where a build may write: the output folder's guards, and paths inside it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from sovet.output import UnsafeOutput, check_out_dir, write_site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "content").mkdir(parents=True)
    return folder


def test_a_new_an_empty_and_a_built_folder_may_be_replaced(site: Path, tmp_path: Path) -> None:
    check_out_dir(tmp_path / "new", site)
    (tmp_path / "empty").mkdir()
    check_out_dir(tmp_path / "empty", site)
    write_site(tmp_path / "built", {PurePosixPath(n): b"x" for n in ("index.html", "sitemap.xml")})
    check_out_dir(tmp_path / "built", site)


def test_other_folders_and_files_are_refused(site: Path, tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("x", "utf-8")
    (tmp_path / "file").write_text("x", "utf-8")
    refused = {
        documents: "holds files that sovet did not build",
        tmp_path / "file": "is a file",
        site / ".git" / "out": "inside the .git/ folder",
        site / "letters" / "out": "inside the letters/ folder",
        site / "static": "inside the static/ folder",
    }
    for out, reason in refused.items():
        with pytest.raises(UnsafeOutput, match=reason):
            check_out_dir(out, site, also=("letters",))


def test_a_path_both_file_and_folder_is_refused_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = {PurePosixPath("tags"): b"static", PurePosixPath("tags/index.html"): b"page"}
    with pytest.raises(UnsafeOutput, match="both a file and a folder"):
        write_site(out, files)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("relative", ["../x", "a/../../x", "/etc/x", "a\0b"])
def test_paths_leaving_the_output_are_refused(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UnsafeOutput):
        write_site(tmp_path / "out", {PurePosixPath(relative): b"x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == []
