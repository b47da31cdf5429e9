"""Letters on serve's /_inbox/: each letter with its proposals and the answer button that
makes the draft advice (then shown at once), and the askers to tell with the told button."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from sovet import cli
from tests.e2e.test_serve import fetch, serving
from tests.inbox.test_preview import request
from tests.letters.conftest import FIXTURES, letters_site


def test_a_letter_is_answered_and_its_asker_told_from_the_page(tmp_path: Path) -> None:
    site = letters_site(tmp_path / "site")
    files = [str(FIXTURES / "gmail-letter.eml"), str(FIXTURES / "yandex-letter.eml")]
    assert cli.main(["inbox", "import", *files, "--site", str(site), "-q"]) == 0
    with serving(site) as base:
        soup = BeautifulSoup(fetch(base + "/_inbox/")[1], "lxml")
        letters = soup.select(".inbox-letters article.inbox-letter")
        assert [a.select_one(".inbox-item__meta").get_text().split(" · ")[1] for a in letters] == [
            "Анна",
            "Иван Петров",
        ]  # newest first
        anna, ivan = letters
        assert "не дал согласия" in anna.get_text() and anna.select_one("[name=force]")
        assert ivan.select_one("[name=force]") is None
        assert ivan.select_one("[name=signature]")["value"] == "Иван П."
        assert "сети пекарен" in ivan.select_one(".inbox-letter__text").get_text()
        token = soup.select_one("input[name=token]")["value"]
        letter = ivan["id"].removeprefix("s-")

        # without consent: refused, and said why
        form = {"token": token, "id": anna["id"].removeprefix("s-")}
        status, _, body = request(base, "POST", "/_inbox/answer", form)
        assert status == 422 and "--force" in BeautifulSoup(body, "lxml").get_text()

        form = {"token": token, "id": letter, "title": "Скидка после сдачи", "signature": "Иван П."}
        status, headers, _ = request(base, "POST", "/_inbox/answer", form)
        assert status == 303 and headers["Location"] == "/advice/skidka-posle-sdachi/"
        status, draft = fetch(base + "/advice/skidka-posle-sdachi/")  # built when answered
        assert status == 200 and "сети пекарен" in draft

        folder = site / "content" / "advice" / "skidka-posle-sdachi"
        (folder / "answer.md").write_text("---\ndate: 2026-12-01 18:00\n---\nИван!\n", "utf-8")
        soup = BeautifulSoup(fetch(base + "/_inbox/")[1], "lxml")
        (tell,) = soup.select(".inbox-tell li")
        assert tell.select_one("a")["href"] == "/advice/skidka-posle-sdachi/"
        write = urlsplit(tell.select_one(".inbox-tell__write")["href"])
        assert write.scheme == "mailto" and write.path == "ivan.petrov@gmail.com"
        status, _, _ = request(base, "POST", "/_inbox/told", {"token": token, "id": letter})
        assert status == 303
        assert BeautifulSoup(fetch(base + "/_inbox/")[1], "lxml").select(".inbox-tell") == []
    assert "told:" in (site / "inbox" / "accepted" / f"{letter}.md").read_text("utf-8")
