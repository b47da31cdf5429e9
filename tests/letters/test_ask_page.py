"""The ask page as built: a labelled form for the form service, a mailto: link whose message
the inbox recognises, the column's own words typeset, links from the menu and from each
rubric's P. S.; none of it when the column takes no letters, and clear errors for settings."""

from __future__ import annotations

import email.message
import email.policy
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from bs4 import BeautifulSoup

from sovet import cli
from sovet.inbox import mail
from sovet.letters.signs import Signs
from sovet.problems import Problems
from sovet.settings import load_settings
from tests.conftest import PROJECT, run_build
from tests.inbox.test_mail_clients import NOW, ZONE
from tests.letters.conftest import SITE_TOML, letters_site

Page = Callable[[str], BeautifulSoup]


def test_the_form_has_every_field_labelled(page: Page) -> None:
    ask = page("/ask/")
    assert ask.h1 is not None and ask.h1.get_text() == "Задать вопрос"
    form = ask.select_one("form.ask-form")
    assert form is not None and form["action"] == "https://forms.example.org/sovet-letters"
    assert form["method"] == "post"
    names = {field["name"] for field in form.select("input, textarea, select")}
    assert names == {"built", "letter", "signature", "email", "rubric", "consent", "website"}
    for field in form.select("input:not([type=hidden]), textarea, select"):
        label = ask.select_one(f"label[for='{field['id']}']")
        assert label is not None and label.get_text(strip=True), field
    assert form.select_one("[name=letter]").has_attr("required")
    assert form.select_one("[name=signature]").has_attr("required")
    assert not form.select_one("[name=consent]").has_attr("required")  # a reader may decline
    rubrics = [o["value"] for o in form.select("[name=rubric] option")]
    assert rubrics == ["", "negotiations", "studio", "career"]


def test_the_columns_words_are_typeset(page: Page) -> None:
    about = page("/ask/").select_one(".ask__about")
    assert about is not None
    text = about.get_text()
    assert "у\u00a0вас с\u00a0клиентами: о\u00a0сроках" in text


def test_the_mail_link_writes_a_letter_the_inbox_recognises(page: Page) -> None:
    link = page("/ask/").select_one(".ask-mail__link")
    assert link is not None
    parts = urlsplit(link["href"])
    assert parts.scheme == "mailto" and unquote(parts.path) == "letters@sovet.example.org"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Пятничный совет [вопрос]"]
    # the reader's mail client opens this; the reader writes above the consent line and sends
    message = email.message.EmailMessage(policy=email.policy.SMTP)
    message["From"] = "Иван Петров <ivan@example.org>"
    message["To"] = "sovet@example.org"  # sent on to the comments' box: the tag still tells
    message["Subject"] = query["subject"][0]
    message.set_content("Как быть с клиентом, который не отвечает?" + query["body"][0])
    settings = load_settings(PROJECT, Problems())
    assert settings is not None
    made = mail.incoming(bytes(message), {}, ZONE, NOW, "test", Signs.of(settings))
    assert not isinstance(made, str)
    assert made.submission.is_letter and made.consent is True
    assert made.submission.body == "Как быть с клиентом, который не отвечает?"


def test_the_menu_and_each_rubrics_postscript_lead_to_it(page: Page, sample_out: Path) -> None:
    for url in ("/", "/weekly/", "/advice/oplata-posle-sdachi/"):
        assert page(url).select_one(".site-nav a[href='/ask/']") is not None
    ps = page("/advice/oplata-posle-sdachi/").select_one(".postscript .postscript__ask")
    assert ps is not None and ps["href"] == "/ask/?rubric=negotiations"
    assert "https://sovet.example.org/ask/" in (sample_out / "sitemap.xml").read_text("utf-8")


def test_no_letters_no_page(tmp_path: Path) -> None:
    toml = SITE_TOML.replace('form_action = "https://forms.example.org/letters"\n', "")
    site = letters_site(
        tmp_path / "site", toml.replace('address = "letters@sovet.example.org"\n', "")
    )
    out = tmp_path / "out"
    assert cli.main(["build", "--site", str(site), "--out", str(out), "-q", "--jobs", "1"]) == 0
    assert not (out / "ask").exists()
    html = (out / "advice" / "first" / "index.html").read_text("utf-8")
    assert "/ask/" not in html


def test_mail_only_has_no_form(tmp_path: Path) -> None:
    site = letters_site(
        tmp_path / "site",
        SITE_TOML.replace('form_action = "https://forms.example.org/letters"\n', ""),
    )
    out = tmp_path / "out"
    assert cli.main(["build", "--site", str(site), "--out", str(out), "-q", "--jobs", "1"]) == 0
    ask = BeautifulSoup((out / "ask" / "index.html").read_text("utf-8"), "lxml")
    assert ask.select_one("form.ask-form") is None
    assert ask.select_one(".ask-mail h2").get_text() == "По почте"


def test_bad_letters_settings_are_reported_with_their_lines(tmp_path: Path) -> None:
    toml = SITE_TOML.replace(
        'address = "letters@sovet.example.org"', 'address = "letters at example"'
    ).replace('about = "', 'greeting = "{nmae}!"\ntell = "{name"\ntag = "[вопрос]"\nabout = "')
    site = letters_site(tmp_path / "site", toml)
    result = run_build("check", "--site", str(site))
    assert result.returncode == 1
    lines = {n: text for n, text in enumerate(toml.splitlines(), start=1)}

    def line_of(key: str) -> int:
        return next(n for n, text in lines.items() if text.startswith(key))

    err = result.stderr
    assert f"site.toml:{line_of('address')}: 'letters.address' must be one email address" in err
    assert (
        f"site.toml:{line_of('greeting')}: 'letters.greeting' has an unknown field {{nmae}}" in err
    )
    assert f"site.toml:{line_of('tell')}: 'letters.tell' has an unpaired" in err
    assert f"site.toml:{line_of('tag')}: 'letters.tag' must be a word or two without" in err
    assert "Traceback" not in err
