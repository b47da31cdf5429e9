"""A reader writes to the column from the ask page in Chromium, with JavaScript and without:
every field found by its label, the letter posted to the form service, and the export of
that post imported as a letter with its signature, rubric and consent."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from sovet.inbox.intake import import_files
from sovet.inbox.store import PENDING, Inbox
from sovet.problems import Problems
from sovet.settings import load_settings
from tests.browser.conftest import Watched, watch
from tests.browser.test_reader import SETTINGS, clean, posted_to
from tests.conftest import PROJECT

ACTION = SETTINGS["letters"]["form_action"]
LETTER = 'Здравствуйте!\n\nКлиент просит "ещё одну" правку каждую неделю. Как остановить?'


def send_letter(page: Any, consent: bool) -> dict[str, list[str]]:
    """Fill the form as a reader does, by the labels they read, and send it."""
    posts = posted_to(page, ACTION)
    page.get_by_label("Ваше письмо").fill(LETTER)
    page.get_by_label("Подпись под письмом").fill("Иван Петров")
    page.get_by_label("Ваш адрес, чтобы колумнист мог ответить (не публикуется)").fill(
        "ivan@example.org"
    )
    if consent:
        page.get_by_label("Я согласен(на), чтобы колонка опубликовала").check()
    page.get_by_role("button", name="Отправить письмо").click()
    page.wait_for_url(ACTION)
    assert len(posts) == 1 and posts[0]["method"] == "POST"
    fields: dict[str, list[str]] = posts[0]["fields"]
    return fields


def imported(fields: dict[str, list[str]], tmp_path: Path) -> Any:
    """The post as the form service exports it (a CSV of the fields and its timestamp),
    imported into a copy of the sample column's inbox: the one letter that lands."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(PROJECT / "site.toml", site)
    shutil.copytree(PROJECT / "content", site / "content")
    export = io.StringIO()
    writer = csv.writer(export)
    names = sorted(fields)
    writer.writerow(["created_at", *names])
    writer.writerow(["2026-12-03 10:00:00", *(fields[n][0] for n in names)])
    (tmp_path / "export.csv").write_text(export.getvalue(), "utf-8")
    settings = load_settings(site, Problems())
    assert settings is not None
    result = import_files(settings, [tmp_path / "export.csv"])
    assert result.problems == []
    (entry,) = Inbox(settings).entries(PENDING, Problems())
    return entry.submission


@pytest.mark.parametrize("scripts", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_reader_sends_a_letter(
    browser: Any, sample_url: str, scripts: bool, tmp_path: Path
) -> None:
    context = browser.new_context(java_script_enabled=scripts)
    record: Watched = watch(context)
    page = record.page
    page.goto(sample_url + "/advice/iz-studii-vo-frilans/")
    ask = page.locator(".postscript__ask")
    assert ask.get_attribute("href") == "/ask/?rubric=career"
    assert page.locator('.site-nav a[href="/ask/"]').inner_text() == "Задать вопрос"

    page.goto(sample_url + "/ask/?rubric=studio")
    # the rubric of the P. S. that led here is chosen when scripts run; the form works either way
    assert page.locator("#ask-rubric").input_value() == ("studio" if scripts else "")
    if not scripts:
        page.locator("#ask-rubric").select_option("studio")
    trap = page.locator("#ask-website").bounding_box()
    assert trap is not None and trap["x"] + trap["width"] <= 0  # off the screen: not for people
    fields = send_letter(page, consent=scripts)
    assert fields["letter"] == [LETTER.replace("\n", "\r\n")]  # as a browser posts a textarea
    assert fields["signature"] == ["Иван Петров"] and fields["rubric"] == ["studio"]
    assert "website" not in fields and fields["built"][0].startswith("20")  # the trap is empty
    assert ("consent" in fields) is scripts

    letter = imported(fields, tmp_path)
    assert letter.is_letter and letter.body == LETTER
    assert (letter.author, letter.email, letter.rubric) == (
        "Иван Петров",
        "ivan@example.org",
        "studio",
    )
    assert letter.flags == (() if scripts else ("consent",))
    clean(record)
    context.close()
