"""`new` and `check` as an editor runs them."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from tests.conftest import CLOCK, PROJECT, advice_files, run_build, write_files

# sovet's command line in a process that says, after the command, whether Rich was loaded.
LOADS_RICH = (
    "import sys; from sovet import cli; print(cli.main(sys.argv[1:]), 'rich' in sys.modules)"
)


def test_new_advice_scaffolds_a_valid_draft(tmp_path: Path) -> None:
    site = write_files(tmp_path, advice_files("a"))
    result = run_build("new", "advice", "Оплата после сбоя: что делать?", "--site", str(site))
    assert result.returncode == 0, result.stderr
    folder = site / "content/advice/oplata-posle-sboya-chto-delat"
    assert result.stdout.split() == [str(folder / "question.md"), str(folder / "answer.md")]
    assert 'title: "Оплата после сбоя: что делать?"' in (folder / "question.md").read_text("utf-8")
    assert "draft: true" in (folder / "answer.md").read_text("utf-8")
    assert run_build("check", "--site", str(site)).returncode == 0
    again = run_build("new", "advice", "Оплата после сбоя: что делать?", "--site", str(site))
    assert again.returncode == 0
    assert (site / "content/advice/oplata-posle-sboya-chto-delat-2/question.md").is_file()
    drafts = run_build("check", "--site", str(site), "--drafts")
    assert drafts.returncode == 0, drafts.stderr


def test_new_comment_with_reply(tmp_path: Path) -> None:
    site = write_files(tmp_path, advice_files("a"))
    first = run_build("new", "comment", "a", "--author", "Ольга Петрова", "--site", str(site))
    assert first.returncode == 0, first.stderr
    path = site / "content/advice/a/comments/olga-petrova-1.md"
    assert first.stdout.strip() == str(path)
    path.write_text(path.read_text("utf-8") + "Согласна.\n", "utf-8")
    reply = run_build(
        "new",
        "comment",
        "a",
        "--author",
        "Ольга Петрова",
        "--reply-to",
        "olga-petrova-1",
        "--site",
        str(site),
    )
    assert reply.returncode == 0, reply.stderr
    second = site / "content/advice/a/comments/olga-petrova-2.md"
    assert "reply_to: olga-petrova-1" in second.read_text("utf-8")
    empty = run_build("check", "--site", str(site))
    assert empty.returncode == 1
    assert "comments/olga-petrova-2.md:5: the comment is empty" in empty.stderr
    second.write_text(second.read_text("utf-8") + "Спасибо.\n", "utf-8")
    assert run_build("check", "--site", str(site)).returncode == 0


def test_new_comment_refuses_bad_targets(tmp_path: Path) -> None:
    site = write_files(tmp_path, advice_files("a"))
    wrong_slug = run_build("new", "comment", "b", "--author", "Оля", "--site", str(site))
    assert wrong_slug.returncode == 1
    assert "no advice 'b'" in wrong_slug.stderr
    wrong_reply = run_build(
        "new", "comment", "a", "--author", "Оля", "--reply-to", "x1", "--site", str(site)
    )
    assert wrong_reply.returncode == 1
    assert "--reply-to: no comment 'x1'" in wrong_reply.stderr
    assert not (site / "content/advice/a/comments").exists() or not list(
        (site / "content/advice/a/comments").iterdir()
    )


def test_check_the_sample_writes_nothing(tmp_path: Path) -> None:
    result = run_build("check", "--clock", CLOCK, "--out" if False else "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_check_finds_broken_internal_links(tmp_path: Path) -> None:
    site = write_files(
        tmp_path,
        {
            **advice_files("a"),
            **advice_files("b"),
            "content/advice/b/answer.md": (
                "---\ndate: 2026-11-20\n---\nСм. [совет](/advice/a/), [нет](/advice/zzz/),\n"
                "[без слэша](/advice/a), [коммент](/advice/a/#comment-c1), [нет коммента](/advice/a/#comment-c9).\n"
            ),
            "content/advice/a/comments/c1.md": "---\nauthor: x\ndate: 2026-11-21\n---\nx\n",
            "content/pages/about.md": "---\ntitle: О\n---\n[лента](/feed.xml) [чужой](https://example.com/x) [свой](https://example.org/nope/)\n",
        },
    )
    result = run_build("check", "--site", str(site))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if ".md:" in line]
    assert any("b/answer.md:4: link to /advice/zzz/: no such page" in line for line in lines), lines
    assert any(
        'b/answer.md:5: link to /advice/a: no such page in the site (did you mean "/advice/a/"?)'
        in line
        for line in lines
    ), lines
    assert any(
        "b/answer.md:5: link to /advice/a/#comment-c9: the page has no anchor #comment-c9" in line
        for line in lines
    ), lines
    assert any(
        "about.md:4: link to https://example.org/nope/: no such page" in line for line in lines
    ), lines
    assert len(lines) == 4
    assert not (site / "output").exists()


def linking_site(root: Path) -> Path:
    """Bodies linking by bare anchors, relative paths, and words that only look like links."""
    return write_files(
        root,
        {
            **advice_files("a"),
            **advice_files("b"),
            "content/advice/b/answer.md": (
                "---\ndate: 2026-11-20\n---\nСм. [соседний совет](../a/) и [обсуждение](#comments).\n"
                "\nА [этого нет](../other-slug/), и [якоря нет](#nowhere).\n"
            ),
            "content/advice/a/comments/c1.md": (
                "---\nauthor: x\ndate: 2026-11-21\n---\n"
                "Пишу код: <a href='/nowhere/'>ссылка</a> и `<img src='/missing.png'>`.\n"
            ),
            "content/pages/about.md": "---\ntitle: О нас\n---\n[Наверх](#top) [совет](advice/a/)\n",
        },
    )


def test_check_reads_anchors_and_relative_links_from_the_html(tmp_path: Path) -> None:
    site = linking_site(tmp_path)
    result = run_build("check", "--site", str(site))
    assert result.returncode == 1
    problems = [line.split("/content/", 1)[-1] for line in result.stderr.splitlines()[:-1]]
    assert problems == [
        "advice/b/answer.md:6: link to #nowhere: the page has no anchor #nowhere",
        "advice/b/answer.md:6: link to ../other-slug/ (that is /advice/other-slug/): "
        'no such page in the site (did you mean "/advice/b/"?)',
        "pages/about.md:4: link to #top: the page has no anchor #top",
        "pages/about.md:4: link to advice/a/ (that is /about/advice/a/): no such page in the "
        'site (did you mean "/advice/a/"?)',
    ]


def test_a_broken_link_fails_the_build_unless_allowed(tmp_path: Path) -> None:
    site = linking_site(tmp_path)
    out = tmp_path / "out"
    failed = run_build("build", "--site", str(site), "--out", str(out))
    assert failed.returncode == 1
    assert "link to #nowhere: the page has no anchor #nowhere" in failed.stderr
    assert failed.stderr.endswith("4 problems; nothing was written.\n")
    assert not out.exists()
    allowed = run_build("build", "--site", str(site), "--out", str(out), "--allow-broken-links")
    assert allowed.returncode == 0, allowed.stderr
    assert "link to #nowhere" in allowed.stderr
    assert allowed.stderr.endswith("4 problems; published anyway.\n")
    assert (out / "advice/b/index.html").is_file()
    again = run_build("build", "--site", str(site), "--out", str(out))
    assert again.returncode == 1, "a build without the flag checks again"


def test_site_and_verbosity_go_before_the_command_or_after_it(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", advice_files("a"))
    out = tmp_path / "out"
    checked = run_build("--site", str(site), "-q", "check")
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")
    built = run_build("-q", "--site", str(site), "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert built.stdout == "" and (out / "advice/a/index.html").is_file()
    verbose = run_build("--site", str(site), "-v", "build", "--out", str(out), "--no-cache")
    assert verbose.returncode == 0 and "Rendering pages" in verbose.stderr
    listed = run_build("--site", str(site), "inbox")
    assert listed.returncode == 0 and "0 pending" in listed.stdout
    after = run_build("check", "--site", str(site), "-q")
    assert (after.returncode, after.stdout) == (0, "")


def test_a_missing_site_value_is_a_usage_error_and_help_lists_every_command() -> None:
    missing = run_build("--site")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "argument --site: expected one argument" in missing.stderr
    helped = run_build("--help")
    assert helped.returncode == 0
    for command in ("build", "serve", "new", "check", "inbox", "init", "deploy", "import"):
        assert f"    {command} " in helped.stdout, command
    building = run_build("build", "--help")
    assert "--allow-broken-links" in building.stdout and "inbox" not in building.stdout


def test_a_quiet_build_loads_nothing_to_show_output_with(tmp_path: Path) -> None:
    """`build --quiet` shows nothing, so it does not load Rich (a twentieth of the time of a
    small column's publish); a build with a problem to show does."""
    site = write_files(tmp_path / "site", advice_files("a"))

    def build() -> list[str]:
        command = [sys.executable, "-c", LOADS_RICH, "build", "--site", str(site), "--quiet"]
        found = subprocess.run(
            [*command, "--out", str(tmp_path / "out"), "--clock", CLOCK],
            capture_output=True,
            text=True,
            cwd=PROJECT,
        )
        return [*found.stdout.split(), found.stderr]

    assert build() == ["0", "False", ""]
    (site / "content/advice/a/comments").mkdir()
    (site / "content/advice/a/comments/bad.md").write_text("---\nauthor: Ольга\n---\n", "utf-8")
    code, loaded, shown = build()
    assert (code, loaded) == ("1", "True")
    assert shown.startswith("site/content/advice/a/comments/bad.md:1: missing required key")


# After the command: whether Babel's catalogue reader and multiprocessing were loaded.
LOADS_BABEL_READER_AND_MULTIPROCESSING = (
    "import sys; from sovet import cli; code = cli.main(sys.argv[1:]); "
    "print(code, *(name in sys.modules for name in ('babel.messages.pofile', 'multiprocessing')))"
)


def test_a_publish_loads_only_what_it_uses(tmp_path: Path) -> None:
    """A build with its cache after a new comment neither compiles the theme's catalogue
    again (nor loads Babel's reader and the e-mail parser it uses) nor starts processes for
    the few pages it makes, so it does not load what either takes."""
    site = write_files(tmp_path / "site", advice_files("a"))
    script = LOADS_BABEL_READER_AND_MULTIPROCESSING

    def build() -> list[str]:
        command = [sys.executable, "-c", script, "build", "--site", str(site), "--quiet"]
        found = subprocess.run(
            [*command, "--out", str(tmp_path / "out"), "--clock", CLOCK, "--jobs", "2"],
            capture_output=True,
            text=True,
            cwd=PROJECT,
        )
        return [*found.stdout.split(), found.stderr]

    assert build() == ["0", "True", "False", ""]  # the first build compiles the catalogue
    comment = "---\nauthor: Ольга\ndate: 2026-11-21 10:00\n---\nСпасибо.\n"
    write_files(site, {"content/advice/a/comments/olga.md": comment})
    assert build() == ["0", "False", "False", ""]


def test_a_build_on_a_terminal_shows_its_progress(tmp_path: Path) -> None:
    """On a terminal a build shows a progress bar once it has run for a second (here at once),
    then what it built."""
    site = write_files(tmp_path / "site", advice_files("a"))
    script = "import sys; from sovet import cli, progress; progress.Bar.DELAY = 0; cli.main()"
    command = [sys.executable, "-c", script, "build", "--site", str(site), "--clock", CLOCK]
    terminal, child = pty.openpty()
    process = subprocess.Popen(
        [*command, "--out", str(tmp_path / "out")],
        stdin=child,
        stdout=child,
        stderr=child,
        cwd=PROJECT,
    )
    os.close(child)
    shown = b""
    while select.select([terminal], [], [], 120)[0]:  # a build that hangs is not waited for
        try:
            data = os.read(terminal, 4096)
        except OSError:  # the build has ended and closed the terminal
            break
        if not data:
            break
        shown += data
    os.close(terminal)
    process.kill()
    assert process.wait(timeout=120) == 0, shown
    text = shown.decode("utf-8", "replace")
    assert "Rendering pages and letters" in text  # a stage, on the bar
    assert f"into {tmp_path / 'out'}" in text
