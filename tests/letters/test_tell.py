"""Telling an asker: once the advice made from their letter is out, `inbox` lists them with a
mailto: link that opens the ready message; `inbox told ID` marks it done. A comment later
sent from the letter's address is the asker's."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from bs4 import BeautifulSoup

from sovet.inbox.store import ACCEPTED, Inbox
from sovet.problems import Problems
from sovet.settings import load_settings
from tests.letters.conftest import FIXTURES, Run
from tests.letters.test_answer import build_drafts, id_of

SLUG = "my-nebolshaya-studiya-delali-sayt-dlya-seti-pekaren"


def answered(site: Path, run: Run) -> str:
    run("import", str(FIXTURES / "gmail-letter.eml"))
    letter = id_of(site, "Иван Петров")
    assert run("answer", letter)[0] == 0
    return letter


def publish(folder: Path, date: str = "2026-12-01 18:00") -> None:
    (folder / "answer.md").write_text(f"---\ndate: {date}\n---\nИван!\n\nОтвечаем.\n", "utf-8")


def mailto_of(out: str) -> tuple[str, dict[str, list[str]]]:
    line = next(ln.strip() for ln in out.splitlines() if ln.strip().startswith("mailto:"))
    parts = urlsplit(line)
    return unquote(parts.path), parse_qs(parts.query)


def test_the_asker_is_listed_once_the_advice_is_out_and_until_told(site: Path, run: Run) -> None:
    letter = answered(site, run)
    code, out, _ = run()
    assert code == 0 and "To tell" not in out  # a draft is not out
    folder = site / "content" / "advice" / SLUG
    publish(folder, "2999-01-01 10:00")
    assert "To tell" not in run()[1]  # nor is a scheduled advice
    publish(folder)
    code, out, _ = run()
    assert "To tell: their advice is out" in out
    assert f"{letter}  Иван Петров <ivan.petrov@gmail.com>" in out
    address, query = mailto_of(out)
    assert address == "ivan.petrov@gmail.com"
    assert query["subject"] == [
        "Мы небольшая студия, делали сайт для сети пекарен — Пятничный совет"
    ]
    body = query["body"][0]
    assert body.startswith("Иван, здравствуйте!\r\n\r\n")
    assert f"https://sovet.example.org/advice/{SLUG}/" in body
    assert "1 to tell" in out

    code, out, _ = run("told", letter[:5])
    assert code == 0 and f"Told {letter}" in out
    code, out, _ = run()
    assert "To tell" not in out
    assert "told:" in run("show", letter)[1]


def test_a_renamed_folder_is_still_found(site: Path, run: Run) -> None:
    answered(site, run)
    folder = site / "content" / "advice" / SLUG
    publish(folder)
    shutil.move(folder, site / "content" / "advice" / "skidka-posle-sdachi")
    _, query = mailto_of(run()[1])
    assert "https://sovet.example.org/advice/skidka-posle-sdachi/" in query["body"][0]


def test_the_columns_own_words_are_used(site: Path, run: Run) -> None:
    toml = site / "site.toml"
    toml.write_text(
        toml.read_text("utf-8").replace(
            'about = "', 'tell = "{name}, ваш вопрос разобран: {url} ({column})"\nabout = "'
        ),
        "utf-8",
    )
    answered(site, run)
    publish(site / "content" / "advice" / SLUG)
    _, query = mailto_of(run()[1])
    assert query["body"] == [
        f"Иван, ваш вопрос разобран: https://sovet.example.org/advice/{SLUG}/ (Пятничный совет)"
    ]


def test_only_an_answered_letter_is_told(site: Path, run: Run, tmp_path: Path) -> None:
    run("import", str(FIXTURES / "excel-utf8.csv"))
    code, _, err = run("told", id_of(site, "Anna Smith"))
    assert code == 1 and "accepted" in err


def test_the_askers_comment_is_marked_as_the_askers(site: Path, run: Run, tmp_path: Path) -> None:
    answered(site, run)
    publish(site / "content" / "advice" / SLUG)
    mail = tmp_path / "reply.eml"
    mail.write_bytes(
        b"From: =?utf-8?b?0JLQsNC90Y8=?= <Ivan.Petrov@gmail.com>\r\nTo: sovet@example.org\r\n"
        b"Subject: Re: [" + SLUG.encode() + b"]\r\nDate: Fri, 4 Dec 2026 12:00:00 +0300\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + "Спасибо, помогло!\r\n".encode()
    )
    code, _, err = run("import", str(mail))
    assert code == 0, err
    comment = id_of(site, "Ваня")
    assert "asker (sent from the address of the letter" in run("show", comment)[1]
    code, _, err = run("accept", comment)
    assert code == 0, err
    out_dir = tmp_path / "out"
    build_drafts(site, out_dir)
    page = BeautifulSoup((out_dir / "advice" / SLUG / "index.html").read_text("utf-8"), "lxml")
    mine = page.select_one(".comment--asker")
    assert mine is not None and "Спасибо, помогло!" in mine.get_text()
    settings = load_settings(site, Problems())
    assert settings is not None
    assert Inbox(settings).find(comment, (ACCEPTED,)).comment
