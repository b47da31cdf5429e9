"""`inbox answer ID`: a letter becomes a draft advice that `build --drafts` shows, signed as
columns sign letters, and the reader's address stays in the inbox."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from sovet import cli
from sovet.inbox.store import ACCEPTED, PENDING, STATES, Inbox
from sovet.problems import Problems
from sovet.settings import load_settings
from tests.letters.conftest import FIXTURES, READERS, Run


def id_of(site: Path, author: str) -> str:
    settings = load_settings(site, Problems())
    assert settings is not None
    inbox = Inbox(settings)
    found = [
        e for s in STATES for e in inbox.entries(s, Problems()) if e.submission.author == author
    ]
    assert len(found) == 1
    return found[0].id


def front(path: Path) -> tuple[dict[str, object], str]:
    _, meta, body = path.read_text("utf-8").split("---\n", 2)
    return yaml.safe_load(meta), body


def build_drafts(site: Path, out: Path) -> None:
    """A build a day from now: the draft's answer is dated when `answer` ran."""
    args = ["build", "--site", str(site), "--out", str(out), "--drafts", "-q", "--jobs", "1"]
    tomorrow = dt.datetime.now() + dt.timedelta(days=1)
    assert cli.main([*args, "--clock", f"{tomorrow:%Y-%m-%d %H:%M}"]) == 0


def test_a_letter_becomes_a_draft_advice_the_build_shows(
    site: Path, run: Run, tmp_path: Path
) -> None:
    run("import", *map(str, sorted(FIXTURES.iterdir())))
    letter = id_of(site, "Иван Петров")
    code, out, err = run("answer", letter[:6])
    assert code == 0, err
    folder = site / "content" / "advice" / "my-nebolshaya-studiya-delali-sayt-dlya-seti-pekaren"
    assert f"Wrote {folder.relative_to(site).as_posix()}/question.md" in out
    meta, letter_text = front(folder / "question.md")
    assert meta == {
        "title": "Мы небольшая студия, делали сайт для сети пекарен",
        "author": "Иван П.",
        "date": dt.date(2026, 12, 1),
        "tags": [],
        "letter": letter,
    }
    assert letter_text.startswith("Здравствуйте!\n\nМы небольшая студия")
    answer, greeting = front(folder / "answer.md")
    assert answer["draft"] is True and greeting == "Иван!\n"
    # the letter is answered: out of the pending ones, kept with the advice it became
    settings = load_settings(site, Problems())
    assert settings is not None
    accepted = Inbox(settings).find(letter, (ACCEPTED,))
    assert accepted.advice == folder.name and accepted.submission.email == READERS[0]

    out_dir = tmp_path / "out"
    build_drafts(site, out_dir)
    page = BeautifulSoup(
        (out_dir / "advice" / folder.name / "index.html").read_text("utf-8"), "lxml"
    )
    question = page.select_one(".question")
    assert question is not None
    assert "сети пекарен" in question.get_text()
    assert question.select_one(".question__signature").get_text() == "Иван\u00a0П."
    assert page.select_one(".badge") is not None  # the draft is marked as one
    everything = b"".join(p.read_bytes() for p in out_dir.rglob("*") if p.is_file())
    content = b"".join(p.read_bytes() for p in (site / "content").rglob("*") if p.is_file())
    for address in READERS:
        assert address.encode() not in everything
        assert address.encode() not in content


def test_the_title_is_proposed_from_the_first_sentence(site: Path, run: Run) -> None:
    run("import", str(FIXTURES / "gmail-tagged.eml"))
    code, out, _ = run("show", id_of(site, "Ольга Сергеевна Миронова"))
    assert code == 0
    assert (
        "title:     Как объяснить заказчику, что три круга правок уже включены в цену, а "
        "четвёртый — нет?" in out
    )
    assert "signed:    Ольга М." in out


def test_the_editor_may_choose_the_title_and_the_signature(site: Path, run: Run) -> None:
    run("import", str(FIXTURES / "excel-utf8.csv"))
    code, _, err = run(
        "answer", id_of(site, "Anna Smith"), "--title", "Правки без конца", "--signature", "Анна"
    )
    assert code == 0, err
    meta, _ = front(site / "content" / "advice" / "pravki-bez-kontsa" / "question.md")
    assert (meta["title"], meta["author"], meta["rubric"]) == ("Правки без конца", "Анна", "studio")
    _, greeting = front(site / "content" / "advice" / "pravki-bez-kontsa" / "answer.md")
    assert greeting == "Анна!\n"


def test_a_letter_without_consent_needs_force(site: Path, run: Run) -> None:
    run("import", str(FIXTURES / "yandex-letter.eml"))
    letter = id_of(site, "Анна")
    code, _, err = run("answer", letter)
    assert code == 1
    assert f"inbox/{letter}.md:" in err and "did not agree to publish the letter" in err
    assert "--force" in err
    assert not (site / "content" / "advice").joinpath("klient-tretii-mesyats").exists()
    assert sorted(p.name for p in (site / "content" / "advice").iterdir()) == ["first"]
    code, _, err = run("answer", letter, "--force")
    assert code == 0, err


def test_letters_and_comments_keep_to_their_own_commands(
    site: Path, run: Run, tmp_path: Path
) -> None:
    form = tmp_path / "comments.csv"
    form.write_text("slug,author,body\nfirst,Ольга,Спасибо!\n", "utf-8")
    run("import", str(form), str(FIXTURES / "excel-utf8.csv"))
    code, _, err = run("accept", id_of(site, "Anna Smith"))
    assert code == 1 and "a letter, not a comment: `inbox answer" in err
    code, _, err = run("answer", id_of(site, "Ольга"))
    assert code == 1 and "a comment, not a letter: `inbox accept" in err


def test_an_answered_letter_comes_back_only_when_its_folder_is_gone(site: Path, run: Run) -> None:
    run("import", str(FIXTURES / "excel-utf8.csv"))
    letter = id_of(site, "Anna Smith")
    run("answer", letter)
    code, _, err = run("restore", letter)
    assert code == 1 and "delete that folder to un-answer it" in err
    settings = load_settings(site, Problems())
    assert settings is not None
    answered = Inbox(settings).find(letter, (ACCEPTED,))
    shutil.rmtree(site / "content" / "advice" / answered.advice)
    code, _, err = run("restore", letter)
    assert code == 0, err
    assert Inbox(settings).state_of(letter) == PENDING


def test_a_readers_markup_is_text_in_the_draft(site: Path, run: Run, tmp_path: Path) -> None:
    form = tmp_path / "ask.csv"
    form.write_text(
        'letter,signature,consent\n"Почему клиент пишет <b>так</b>?\n\n<script>alert(1)</script>\n'
        '![](https://tracker.example/pixel.png)",Олег,yes\n',
        "utf-8",
    )
    run("import", str(form))
    code, _, err = run("answer", id_of(site, "Олег"))
    assert code == 0, err
    out_dir = tmp_path / "out"
    build_drafts(site, out_dir)
    html = (out_dir / "advice" / "pochemu-klient-pishet-tak" / "index.html").read_text("utf-8")
    question = BeautifulSoup(html, "lxml").select_one(".question .prose")
    assert question is not None
    assert question.find("script") is None and question.find("b") is None
    assert question.find("img") is None
    assert "<script>alert(1)</script>" in question.get_text()
