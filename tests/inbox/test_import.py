"""`inbox import`: every fixture lands once, flagged where it should, with nothing published."""

from __future__ import annotations

import datetime as dt
import mailbox
import subprocess
import sys
from pathlib import Path

from sovet.inbox.store import Entry, Inbox
from sovet.inbox.submission import Submission
from sovet.problems import Problems
from sovet.settings import load_settings
from tests.conftest import PROJECT
from tests.inbox.conftest import FIXTURES, Run, build_site

ALL = sorted(str(p) for p in FIXTURES.iterdir())


def pending(site: Path) -> dict[str, Entry]:
    """Pending submissions by author."""
    settings = load_settings(site, Problems())
    assert settings is not None
    return {e.submission.author: e for e in Inbox(settings).entries("pending", Problems())}


def test_every_submission_lands_once(site: Path, run: Run) -> None:
    code, out, err = run("import", *ALL)
    assert code == 1  # one row has no text: reported with its line, the rest imported
    assert "form.csv:16: no comment or letter text" in err
    assert "form.csv: 6 new (3 flagged), 1 already in the inbox" in out
    assert "service.json: 1 new, 1 already in the inbox" in out
    assert "mailbox.mbox: 3 new" in out and "utf8.eml: 0 new, 1 already in the inbox" in out
    found = pending(site)
    assert len(found) == 16
    assert len(list((site / "inbox").glob("*.md"))) == 16
    for name in ("Ирина", "Геннадий Ткачёв", "Зоя Белова", "Leo", "Кирилл", "Нина", "Олег"):
        assert name in found, name
    for name in ("Мария Ёлкина", "Пётр", "Светлана", "Вера", "Антон Сергеевич"):
        assert name in found, name

    code, out, err = run("import", *ALL)
    assert all(": 0 new" in line for line in out.splitlines()), out
    assert len(list((site / "inbox").glob("*.md"))) == 16


def test_spam_is_flagged_never_dropped(site: Path, run: Run) -> None:
    run("import", str(FIXTURES / "form.csv"), str(FIXTURES / "form-cp1251.csv"))
    flags = {name: entry.submission.flags for name, entry in pending(site).items()}
    assert flags["Бот"] == ("honeypot",)
    assert flags["Ссыльщик"] == ("links",)
    assert flags["Поздний"] == ("form-time",)  # a form time after the submission itself
    assert flags["Антон Сергеевич"] == () and flags["Мария Ёлкина"] == ()


def test_inbox_files_are_readable_and_kept_out_of_git(site: Path, run: Run) -> None:
    run("import", str(FIXTURES / "koi8-qp.eml"))
    (path,) = (site / "inbox").glob("*.md")
    assert len(path.stem) == 10
    text = path.read_text("utf-8")
    assert text.startswith("---\nauthor: Геннадий Ткачёв\nemail: gena@example.org\n")
    assert "slug: second\n" in text and "source: 'email: koi8-qp.eml'" in text
    assert text.endswith("---\nДоговор - это не бюрократия.\nЭто наша страховка.\n")
    assert (site / "inbox" / ".gitignore").read_text("utf-8").endswith("*\n")


def test_nothing_reaches_content_or_output(site: Path, run: Run, tmp_path: Path) -> None:
    before = sorted(p.relative_to(site) for p in (site / "content").rglob("*"))
    run("import", *ALL)
    assert sorted(p.relative_to(site) for p in (site / "content").rglob("*")) == before
    out = tmp_path / "out"
    build_site(site, out)
    built = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert b"@example.org" not in built and "Геннадий".encode() not in built


def test_formats_are_told_apart_without_suffixes(site: Path, run: Run, tmp_path: Path) -> None:
    for name, suffix in (("form.csv", ""), ("service.json", ".txt"), ("utf8.eml", ".dat")):
        (tmp_path / f"{name}{suffix}.x").write_bytes((FIXTURES / name).read_bytes())
    code, out, _ = run("import", *sorted(str(p) for p in tmp_path.glob("*.x")))
    assert out.count(" new") == 3 and "\n0 new" not in out
    code, out, err = run("import", str(tmp_path / "missing.csv"))
    assert code == 1 and "missing.csv:1: cannot read the file" in err


def test_the_command_line_as_a_user_runs_it(site: Path, run: Run) -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "inbox", "import", str(FIXTURES / "utf8.eml")],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    code, out, _ = run()
    assert code == 0
    assert "Первый совет (first)" in out
    assert "Ирина  ↳ olga-1" in out
    assert "1 pending · 0 rejected · 0 accepted" in out


def test_a_maildir_folder(site: Path, run: Run, tmp_path: Path) -> None:
    maildir = mailbox.Maildir(tmp_path / "Mail", create=True)
    for name in ("utf8.eml", "koi8-qp.eml"):
        maildir.add((FIXTURES / name).read_bytes())
    code, out, _ = run("import", str(tmp_path / "Mail"))
    assert code == 0 and "Mail: 2 new" in out
    assert {"Ирина", "Геннадий Ткачёв"} == set(pending(site))


def test_values_survive_the_inbox_file_whatever_they_look_like(site: Path) -> None:
    settings = load_settings(site, Problems())
    assert settings is not None
    inbox = Inbox(settings)
    for value in ("no", "null", "!!python/object:os.system", "- x", "'\"", "a: b # c", "@x", "---"):
        made = Submission(
            slug=value,
            author=value,
            email=value,
            date=dt.datetime(2026, 11, 21, 9, 15, tzinfo=settings.zone),
            body=f"---\n{value}\n---",
            source=value,
            reply_to=value,
            subject=value,
        )
        entry = inbox.write(made, "pending")
        back = inbox.read(entry.id, "pending", Problems())
        assert back is not None and back.submission == made, value


def test_terminal_output_is_plain_text(site: Path, run: Run, tmp_path: Path) -> None:
    export = tmp_path / "markup.csv"
    export.write_text("slug,author,body\nfirst,[bold red]Ева[/],[/] [link=x]текст\n", "utf-8")
    run("import", str(export))
    code, out, _ = run()
    assert code == 0 and "[bold red]Ева[/]" in out and "[/] [link=x]текст" in out


def test_a_broken_inbox_file_is_reported_and_the_rest_listed(site: Path, run: Run) -> None:
    run("import", str(FIXTURES / "utf8.eml"), str(FIXTURES / "raw-8bit.eml"))
    broken = sorted((site / "inbox").glob("*.md"))[0]
    broken.write_text("---\nauthor: [oops\n---\ntext\n", "utf-8")
    code, out, err = run()
    assert code == 1 and "1 pending" in out
    assert f"{broken.name}:2: the list opened on this line is never closed" in err


def test_the_inbox_never_sits_where_the_build_reads(site: Path, run: Run) -> None:
    toml = site / "site.toml"
    toml.write_text(toml.read_text("utf-8").replace("max_links = 3", 'dir = "content"'), "utf-8")
    code, _, err = run("import", str(FIXTURES / "utf8.eml"))
    assert code == 1 and "site.toml:" in err and "'inbox.dir' must not be content/" in err
    assert not list((site / "content").glob("*.md"))
