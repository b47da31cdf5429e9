"""`sovet init`: a column of its own that builds at once, and never a file written over."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sovet import cli
from tests.conftest import run_build


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_new_column_builds_at_once(tmp_path: Path, language: str) -> None:
    folder = tmp_path / "my-column"
    assert cli.main(["init", str(folder), "--language", language, "--title", 'Совет "дня"']) == 0
    for name in ("site.toml", ".gitignore", ".github/workflows/sovet.yml", ".gitlab-ci.yml"):
        assert (folder / name).is_file(), name
    assert tomllib.loads((folder / "site.toml").read_text("utf-8"))["title"] == 'Совет "дня"'
    built = run_build("build", "--site", str(folder), "-q")
    assert built.returncode == 0, built.stderr
    advice = next((folder / "output/advice").iterdir()) / "index.html"
    soup = BeautifulSoup(advice.read_text("utf-8"), "lxml")
    assert len(soup.select("article.comment__body")) == 2
    reply = soup.select_one(".thread--replies li.comment")
    assert "comment--columnist" in reply["class"]  # the example's reply wears its badge
    checked = run_build("check", "--site", str(folder))
    assert checked.returncode == 0, checked.stderr


def test_every_key_of_site_toml_says_what_it_is(tmp_path: Path) -> None:
    for language in ("ru", "en"):
        folder = tmp_path / language
        assert cli.main(["init", str(folder), "--language", language, "-q"]) == 0
        for line in (folder / "site.toml").read_text("utf-8").splitlines():
            if re.match(r"^\s*[a-z_]+\s*=", line):
                assert re.search(r"=.*\S\s+#\s*\S", line), line


def test_the_ci_files_build_with_the_cache_and_deploy(tmp_path: Path) -> None:
    folder = tmp_path / "column"
    assert cli.main(["init", str(folder), "-q"]) == 0
    github = yaml.safe_load((folder / ".github/workflows/sovet.yml").read_text("utf-8"))
    steps = github["jobs"]["publish"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "sovet build" in runs and "sovet deploy" in runs
    cached = next(step for step in steps if str(step.get("uses", "")).startswith("actions/cache"))
    assert ".sovet-cache" in cached["with"]["path"] and "~/.cache/sovet" in cached["with"]["path"]
    gitlab = yaml.safe_load((folder / ".gitlab-ci.yml").read_text("utf-8"))
    assert ".sovet-cache/" in gitlab["pages"]["cache"]["paths"]
    assert "sovet build --out public" in gitlab["pages"]["script"]
    ignored = (folder / ".gitignore").read_text("utf-8")
    for name in ("/output/", "/.output.previous/", "/.sovet-cache/", "/inbox/"):
        assert name in ignored


def test_init_never_writes_over_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "column"
    folder.mkdir()
    (folder / "site.toml").write_text("# mine\n", "utf-8")
    assert cli.main(["init", str(folder)]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert cli.main(["init", str(folder), "--force"]) == 0
    assert "site.toml (already there, left as it was)" in capsys.readouterr().out
    assert (folder / "site.toml").read_text("utf-8") == "# mine\n"
    assert (folder / "content/pages/about.md").is_file()
    file = tmp_path / "a-file"
    file.write_text("x", "utf-8")
    assert cli.main(["init", str(file)]) == 1
    assert "is a file: give a folder" in capsys.readouterr().err
    (tmp_path / "with-git" / ".git").mkdir(parents=True)  # a fresh clone is empty enough
    assert cli.main(["init", str(tmp_path / "with-git"), "-q"]) == 0


def test_a_new_advice_is_dated_now_not_at_ten(tmp_path: Path) -> None:
    folder = tmp_path / "column"
    assert cli.main(["init", str(folder), "-q"]) == 0
    before = dt.datetime.now().replace(second=0, microsecond=0)
    result = run_build("new", "advice", "Новый вопрос", "--site", str(folder))
    assert result.returncode == 0, result.stderr
    answer = (folder / "content/advice/novyy-vopros/answer.md").read_text("utf-8")
    written = re.search(r"date: (\S+ \S+)", answer)
    assert written is not None
    moment = dt.datetime.fromisoformat(written[1])
    assert abs((moment - before).total_seconds()) < 36 * 3600  # now, in the site's zone
    assert not written[1].endswith(" 10:00") or before.strftime("%H:%M") == "10:00"
