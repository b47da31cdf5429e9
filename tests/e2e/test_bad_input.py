"""Broken sites: every mistake reported as path:line: message in one run, output untouched."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tests.conftest import advice_files, run_build, write_files


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_every_problem_in_one_run_and_the_output_untouched(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", advice_files("good"))
    out = tmp_path / "out"
    assert run_build("build", "--site", str(site), "--out", str(out)).returncode == 0
    before = snapshot(out)
    write_files(
        site,
        {
            "content/advice/bad/question.md": "---\ntitle: x\nautor: y\nrubric: mian\nrelated: [nowhere]\n---\n",
            "content/advice/bad/answer.md": "---\ndate: 20.11.2026\n---\n",
            "content/advice/good/comments/c1.md": "---\nauthor: a\ndate: 2026-11-21\nreply_to: c9\n---\nx\n",
            "content/advice/good/comments/c2.md": "---\nauthor: a\ndate: 2026-11-21\nreply_to: c3\n---\nx\n",
            "content/advice/good/comments/c3.md": "---\nauthor: a\ndate: 2026-11-21\nreply_to: c2\n---\nx\n",
            "content/advice/good/comments/Bad_Name.md": "---\nauthor: a\n---\n",
            "content/advice/waiting/question.md": "---\ntitle: t\nauthor: a\n---\n",
            "content/advice/waiting/comments/c1.md": "---\nauthor: a\ndate: 2026-11-21\n---\n",
            "content/pages/broken.md": "---\ntitle: [unclosed\n---\n",
        },
    )
    result = run_build("build", "--site", str(site), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if ".md:" in line]
    expected = [
        "content/advice/bad/answer.md:2: 'date': expected a date",
        "content/advice/bad/question.md:3: unknown key 'autor' (did you mean \"author\"?)",
        "content/advice/bad/question.md:4: unknown rubric 'mian' (did you mean \"main\"?)",
        "content/advice/good/comments/Bad_Name.md:1: comment file name 'Bad_Name' must be",
        "content/advice/good/comments/c1.md:4: reply_to 'c9': no comment with that id",
        "content/advice/good/comments/c2.md:4: reply_to forms a cycle: c2 -> c3 -> c2",
        "content/advice/waiting/comments/c1.md:1: a comment on an advice that has no answer.md yet",
        "content/advice/bad/question.md:5: related: no advice 'nowhere'",
        "content/pages/broken.md:2: the list opened on this line is never closed",
    ]
    for message in expected:
        assert any(message in line for line in lines), (message, result.stderr)
    paths = [line.split(":", 1)[0] for line in lines]
    assert paths == sorted(paths)
    # 'autor' is the missing 'author': one mistake, reported once, with its did-you-mean.
    assert not any("missing required key 'author'" in line for line in lines)
    assert snapshot(out) == before


def test_related_slug_that_does_not_exist(tmp_path: Path) -> None:
    site = write_files(tmp_path, advice_files("a"))
    write_files(
        site, {"content/advice/a/question.md": "---\ntitle: t\nauthor: a\nrelated: [b-c]\n---\n"}
    )
    result = run_build("check", "--site", str(site))
    assert result.returncode == 1
    assert "content/advice/a/question.md:4: related: no advice 'b-c'" in result.stderr


def test_two_advices_on_one_permalink(tmp_path: Path) -> None:
    site = write_files(
        tmp_path, {**advice_files("one"), **advice_files("two", date="2026-11-20 18:00")}
    )
    toml = (site / "site.toml").read_text("utf-8")
    toml = toml.replace('columnist = "Илья"', 'columnist = "Илья"\npermalink = "/{date}/"')
    write_files(site, {"site.toml": toml})
    result = run_build("check", "--site", str(site))
    assert result.returncode == 1
    assert (
        "content/advice/one/question.md:1: address /20261120/ is also the address of"
        in result.stderr
    )
    assert (
        "content/advice/two/question.md:1: address /20261120/ is also the address of"
        in result.stderr
    )


def test_page_clashing_with_an_advice(tmp_path: Path) -> None:
    site = write_files(tmp_path, advice_files("about"))
    toml = (
        (site / "site.toml")
        .read_text("utf-8")
        .replace('columnist = "Илья"', 'columnist = "Илья"\npermalink = "/{slug}/"')
    )
    write_files(site, {"site.toml": toml, "content/pages/about.md": "---\ntitle: О нас\n---\n"})
    result = run_build("check", "--site", str(site))
    assert result.returncode == 1
    assert (
        "content/advice/about/question.md:1: address /about/ is also the address of"
        in result.stderr
    )
    assert "content/pages/about.md:1: address /about/ is also the address of" in result.stderr


def test_bad_settings_stop_before_content(tmp_path: Path) -> None:
    site = write_files(tmp_path, {**advice_files("a")})
    toml = (site / "site.toml").read_text("utf-8") + "\n[feeds]\nitems = 'x'\n"
    (site / "site.toml").write_text(toml, "utf-8")
    result = run_build("build", "--site", str(site))
    assert result.returncode == 1
    assert "site.toml:12: 'feeds.items' must be a whole number" in result.stderr
    assert not (site / "output").exists()


def test_output_folder_guards(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", advice_files("a"))
    for out in (site, site / "content", tmp_path, Path("/")):
        result = run_build("build", "--site", str(site), "--out", str(out))
        assert result.returncode == 1, out
        assert result.stderr.startswith("--out:1: --out"), result.stderr
        assert "Traceback" not in result.stderr
    assert (site / "content/advice/a/question.md").is_file()


def test_a_template_mistake_names_the_template(tmp_path: Path) -> None:
    site = write_files(
        tmp_path,
        {
            **advice_files("a"),
            "templates/page.html": "{% extends 'base.html' %}\n{% block main %}{{ page.nope( }}{% endblock %}\n",
        },
    )
    write_files(site, {"content/pages/x.md": "---\ntitle: x\n---\nТекст.\n"})
    result = run_build("build", "--site", str(site))
    assert result.returncode == 1
    assert "templates/page.html:2:" in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_and_broken_files_in_one_run_through_the_command(tmp_path: Path) -> None:
    """Many faults at once through real processes: build and check report them all, sorted,
    as path:line: message, without a traceback, and the previous output stays as it was."""
    site = write_files(tmp_path / "site", advice_files("good"))
    out = tmp_path / "out"
    assert run_build("build", "--site", str(site), "--out", str(out)).returncode == 0
    before = snapshot(out)
    comment = "---\nauthor: a\ndate: 2026-11-21\n---\n"
    write_files(
        site,
        {
            "content/advice/a1/question.md": "---\ntitle: x\n",
            "content/advice/a3/question.md": "---\ntitle: t\nauthor: a\n---\n",
            "content/advice/a3/answer.md": "---\ndate: 0001-01-01\n---\n",
            "content/advice/a4/question.md": "---\nTitle: t\nauthor: a\n---\n",
            "content/advice/a5/Question.md": "---\ntitle: t\nauthor: a\n---\n",
            "content/advice/good/comments/Olga.md": comment,
            "content/advice/good/comments/olga.md": comment,
            "content/advice/good/comments/bell.md": comment + "звонок\x07\n",
            "content/pages/empty.md": "",
        },
    )
    (site / "content/advice/a2").mkdir()
    (site / "content/advice/a2/question.md").write_bytes(
        "---\ntitle: Письмо\nauthor: Иван\n---\n".encode("cp1251")
    )
    (tmp_path / "secret.md").write_text(comment + "СЕКРЕТ\n", "utf-8")
    (site / "content/advice/good/comments/leak.md").symlink_to(tmp_path / "secret.md")
    (site / "static").mkdir()
    (site / "static/passwd").symlink_to("/etc/passwd")
    expected = [
        "content/advice/a1/question.md:1: front matter is never closed",
        "content/advice/a2/question.md:2: not UTF-8 (it looks like windows-1251)",
        "content/advice/a3/answer.md:2: 'date': year 1 is out of range",
        "content/advice/a4/question.md:2: unknown key 'Title' (did you mean \"title\"?)",
        "content/advice/a5/Question.md:1: 'Question.md' is not read: name it 'question.md'",
        "content/advice/good/comments/Olga.md:1: comment file name 'Olga' must be lowercase",
        "content/advice/good/comments/bell.md:5: the control character U+0007 at column 7",
        "content/advice/good/comments/leak.md:1: symlink to",
        "content/pages/empty.md:1: empty file",
        "static/passwd:1: symlink to '",
    ]
    for command, tail in (("build", "; nothing was written."), ("check", ".")):
        args = ["--out", str(out)] if command == "build" else []
        result = run_build(command, "--site", str(site), *args)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        assert lines[-1].endswith(tail), lines
        problems = lines[:-1]
        assert all(re.match(r"^[^:]+:[1-9]\d*: \S", line) for line in problems), lines
        paths = [line.split(":", 1)[0] for line in problems]
        assert paths == sorted(paths), lines
        for message in expected:
            assert any(message in line for line in problems), (message, lines)
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert b"root:" not in b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())


def test_out_refuses_a_folder_it_did_not_build(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", advice_files("a"))
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.txt").write_text("years of work", "utf-8")
    result = run_build("build", "--site", str(site), "--out", str(documents))
    assert result.returncode == 1
    assert "holds files that sovet did not build" in result.stderr
    assert (documents / "thesis.txt").read_text("utf-8") == "years of work"


def test_each_file_is_checked_whatever_else_is_broken(tmp_path: Path) -> None:
    """A question without a title does not hide the mistakes of the other files."""
    site = write_files(
        tmp_path,
        {
            **advice_files("a"),
            "content/advice/a/question.md": "---\nauthor: Иван К.\n---\nВопрос.\n",
            "content/advice/a/answer.md": "---\ndate: 2026-11-20 10:00\nautor: Илья\n---\nОтвет.\n",
            "content/advice/a/comments/c1.md": "---\ndate: 2026-11-21\n---\nБез имени.\n",
            "content/advice/a/comments/c2.md": "---\nauthor: Оля\ndate: 2026-11-21\nreply_to: c9\n---\nx\n",
            "content/advice/b/question.md": "---\ntitle: Без ответа\nauthor: А.\n---\nВопрос.\n",
            "content/advice/b/comments/c1.md": "---\ndate: 2026-11-21\n---\nx\n",
        },
    )
    result = run_build("check", "--site", str(site))
    assert result.returncode == 1
    for expected in (
        "a/question.md:1: missing required key 'title'",
        "a/answer.md:3: unknown key 'autor'",
        "a/comments/c1.md:1: missing required key 'author'",
        "a/comments/c2.md:4: reply_to 'c9': no comment with that id",
        "b/comments/c1.md:1: a comment on an advice that has no answer.md yet",
        "b/comments/c1.md:1: missing required key 'author'",
    ):
        assert expected in result.stderr, (expected, result.stderr)


def test_a_broken_comment_is_reported_before_the_replies_it_breaks(tmp_path: Path) -> None:
    parent = "---\nauthor: Ольга\ndate: 2026-11-21\n---\nТекст в windows-1251.\n"
    reply = "---\nauthor: {}\ndate: 2026-11-21 1{}:00\nreply_to: olga-1\n---\nОтвет.\n"
    site = write_files(
        tmp_path,
        {
            **advice_files("a"),
            "content/advice/a/comments/anna-1.md": reply.format("Анна", 1),
            "content/advice/a/comments/boris-1.md": reply.format("Борис", 2),
            "content/advice/a/comments/lena-1.md": "---\nauthor: Лена\ndate: 2026-11-21\nreply_to: boris-1\n---\nДа.\n",
        },
    )
    (site / "content/advice/a/comments/olga-1.md").write_bytes(parent.encode("cp1251"))
    result = run_build("build", "--site", str(site))
    assert result.returncode == 1
    lines = [line.split("/content/", 1)[-1] for line in result.stderr.splitlines()[:-1]]
    assert lines == [
        "advice/a/comments/olga-1.md:2: not UTF-8 (it looks like windows-1251); save it as UTF-8",
        "advice/a/comments/anna-1.md:4: reply_to 'olga-1': the comment it answers is broken "
        f"({site.name}/content/advice/a/comments/olga-1.md, see above)",
        "advice/a/comments/boris-1.md:4: reply_to 'olga-1': the comment it answers is broken "
        f"({site.name}/content/advice/a/comments/olga-1.md, see above)",
    ]


def test_empty_is_not_done(tmp_path: Path) -> None:
    """An empty letter, answer, comment or page is a mistake; a draft may be empty."""
    site = write_files(
        tmp_path,
        {
            **advice_files("a"),
            "content/advice/a/comments/olga-1.md": "---\nauthor: Ольга\ndate: 2026-11-21\n---\n",
            "content/advice/a/comments/gone-1.md": "---\nauthor: Х\ndate: 2026-11-21\nhidden: true\n---\n",
            "content/advice/b/question.md": "---\ntitle: Пустое\nauthor: Иван К.\n---\n\n  \n",
            "content/advice/b/answer.md": "---\ndate: 2026-11-20 10:00\n---\n",
            "content/advice/c/question.md": "---\ntitle: Черновик\nauthor: Иван К.\n---\n",
            "content/advice/c/answer.md": "---\ndate: 2026-11-20 10:00\ndraft: true\n---\n",
            "content/advice/d/question.md": "---\ntitle: Ждёт ответа\nauthor: Иван К.\n---\n",
            "content/pages/about.md": "---\ntitle: О нас\n---\n",
            "content/pages/soon.md": "---\ntitle: Скоро\ndraft: true\n---\n",
        },
    )
    result = run_build("check", "--site", str(site))
    assert result.returncode == 1
    problems = [line.split("/content/", 1)[-1] for line in result.stderr.splitlines()[:-1]]
    assert problems == [
        "advice/a/comments/olga-1.md:4: the comment is empty: write the reader's words, "
        "or delete the file",
        "advice/b/answer.md:3: the answer is empty: write it, or add 'draft: true' until it "
        "is written",
        "advice/b/question.md:4: the reader's letter is empty: write it under the front matter",
        "pages/about.md:3: the page is empty: write it, or add 'draft: true' until it is written",
    ]


def test_an_alias_must_lead_to_one_place(tmp_path: Path) -> None:
    site = write_files(
        tmp_path,
        {
            **advice_files("a"),
            **advice_files("b"),
            "content/advice/a/question.md": (
                "---\ntitle: А\nauthor: И.\naliases: [/old/a/, /advice/b/, '/?p=1']\n---\nВопрос.\n"
            ),
            "content/advice/b/question.md": (
                "---\ntitle: Б\nauthor: И.\naliases: [/old/a/, /tags/x/, old-b]\n---\nВопрос.\n"
            ),
            "content/pages/about.md": "---\ntitle: О\naliases: ['/?p=1']\n---\nТекст.\n",
        },
    )
    result = run_build("check", "--site", str(site))
    assert result.returncode == 1
    problems = [line.split("/content/", 1)[-1] for line in result.stderr.splitlines()[:-1]]
    assert problems == [
        "advice/a/question.md:4: alias /advice/b/ is the address of "
        f"{site.name}/content/advice/b/question.md: remove it",
        "advice/b/question.md:4: 'aliases': alias 'old-b' must be a path on this site, like "
        "/2015/02/old-slug/ or /?p=123 (no host, no spaces, no #anchor)",
        "pages/about.md:3: alias /?p=1 is also an alias of "
        f"{site.name}/content/advice/a/question.md",
    ]
    write_files(
        site,
        {
            "content/advice/b/question.md": (
                "---\ntitle: Б\nauthor: И.\naliases: [/old/a/, /tags/x/]\n---\nВопрос.\n"
            ),
            "content/pages/about.md": "---\ntitle: О\n---\nТекст.\n",
            "content/advice/a/question.md": "---\ntitle: А\nauthor: И.\n---\nВопрос.\n",
        },
    )
    second = run_build("check", "--site", str(site))
    assert "b/question.md:4: alias /tags/x/ is taken by the site's own pages" in second.stderr
