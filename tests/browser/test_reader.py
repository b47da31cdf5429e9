"""A reader in a real Chromium: the column, its discussions, the archive, topics, subscribing
and search, with no console error, no failed request and no script from a comment."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import pytest

from tests.browser.conftest import Watched
from tests.conftest import PROJECT

SETTINGS = tomllib.loads((PROJECT / "site.toml").read_text("utf-8"))
ADVICE = "/advice/iz-studii-vo-frilans/"


def clean(record: Watched) -> None:
    assert record.console_errors == []
    assert record.failed_requests == []
    assert record.dialogs == []


def posted_to(page: Any, action: str) -> list[dict[str, Any]]:
    """Answer form posts to ACTION here (the test has no network); each post is recorded."""
    posts: list[dict[str, Any]] = []

    def answer(route: Any) -> None:
        request = route.request
        posts.append(
            {
                "method": request.method,
                "url": request.url,
                "fields": parse_qs(request.post_data or ""),
            }
        )
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>ok</title>")

    page.route(action, answer)
    return posts


def test_a_reader_goes_through_the_column(watched: Watched, sample_url: str) -> None:
    page = watched.page
    page.goto(sample_url + "/")
    assert page.locator("html").get_attribute("lang") == "ru"

    # From the home page to an advice, by its comment count.
    page.locator(f'.advice-card a[href="{ADVICE}#comments"]').click()
    page.wait_for_url(f"**{ADVICE}#comments")
    assert "фриланс" in page.locator("h1").inner_text()

    # A comment's own link: the address names it, the page shows it.
    date_link = page.locator(".comment .comment__date").nth(1)
    anchor = date_link.get_attribute("href")
    assert anchor and anchor.startswith("#comment-")
    date_link.click()
    page.wait_for_function(f"location.hash === {anchor!r}")
    assert page.evaluate("document.querySelector(':target').id") == anchor[1:]
    box = page.locator(anchor).bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]

    # Replying: the form learns the comment's id and takes the focus.
    comment_id = anchor.removeprefix("#comment-")
    page.locator(f"{anchor} .comment__reply").click()
    assert page.locator("input[name=reply_to]").input_value() == comment_id
    assert page.locator(".comment-form__replying").is_visible()
    assert page.evaluate("document.activeElement.id") == "comment-body"
    posts = posted_to(page, SETTINGS["comments"]["form_action"])
    page.fill("#comment-author", "Читатель")
    page.fill("#comment-body", "Спасибо, очень вовремя.")
    page.locator("#comment-form button[type=submit]").click()
    page.wait_for_url(SETTINGS["comments"]["form_action"])
    assert posts[0]["method"] == "POST"
    fields = posts[0]["fields"]
    assert fields["slug"] == ["iz-studii-vo-frilans"]
    assert fields["reply_to"] == [comment_id]
    assert fields["body"] == ["Спасибо, очень вовремя."]

    # The weekly archive, one week, and the advice in it.
    page.goto(sample_url + ADVICE)
    page.locator('.site-nav a[href="/weekly/"]').click()
    page.wait_for_url("**/weekly/")
    page.locator(".archive-week__title a").first.click()
    page.wait_for_url("**/weekly/*-w*/")
    assert page.locator(".advice-card").count() >= 1

    # A topic of the advice lists the advice.
    page.goto(sample_url + ADVICE)
    page.locator(".advice__tags a").first.click()
    page.wait_for_url("**/tags/*/")
    assert page.locator(f'.advice-card a[href="{ADVICE}"]').count() == 1

    # Subscribing posts the address, and the provider's fields, to the configured action.
    subscribe = SETTINGS["subscribe"]
    page.locator('.site-nav a[href="/subscribe/"]').click()
    page.wait_for_url("**/subscribe/")
    posts = posted_to(page, subscribe["form_action"])
    page.fill("#subscribe-email", "reader@example.org")
    page.locator(".subscribe-email button[type=submit]").click()
    page.wait_for_url(subscribe["form_action"])
    assert posts[0]["method"] == "POST"
    fields = posts[0]["fields"]
    assert fields[subscribe["email_field"]] == ["reader@example.org"]
    for name, value in subscribe["hidden_fields"].items():
        assert fields[name] == [value]
    clean(watched)


def search_results(page: Any) -> list[str]:
    page.wait_for_selector(".search-result")
    return page.locator(".search-result__title a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )


@pytest.fixture(params=["one index", "index in three parts"])
def search_url(request: pytest.FixtureRequest, sample_url: str) -> str:
    """The sample column as built, and with its index in parts the search page merges (the
    advices found below are in the first part and in the last)."""
    if request.param == "one index":
        return sample_url
    url: str = request.getfixturevalue("parted_url")
    return url


def test_search_finds_another_form_of_a_word(
    watched: Watched, search_url: str, sample_out: Path
) -> None:
    sample_url = search_url
    page = watched.page
    page.goto(sample_url + "/rubrics/")
    # "пекарням" (to bakeries): the advice only says "пекарен" (of bakeries).
    page.fill("#site-search", "пекарням")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=*")
    html = (sample_out / "advice/oplata-posle-sdachi/index.html").read_text("utf-8").lower()
    assert "пекарням" not in html and "пекарен" in html
    assert search_results(page) == ["/advice/oplata-posle-sdachi/"]
    result = page.locator(".search-result").first
    assert result.locator("mark").count() >= 1
    meta = result.locator(".search-result__meta").inner_text()
    assert "2026" in meta and "Переговоры" in meta
    # The title is the result's heading, once: the excerpt is the letter's words around the match.
    title = result.locator(".search-result__title").inner_text()
    excerpt = result.locator(".search-result__excerpt").inner_text()
    assert title.split()[-1] not in excerpt.split()[:3]
    assert result.locator(".search-result__excerpt mark").first.inner_text().startswith("пекарен")

    # A word only the title has still finds the advice; its excerpt is the start of the letter.
    page.fill("#search-q", "заканчиваются")
    page.press("#search-q", "Enter")
    page.wait_for_selector('.search-result a[href="/advice/beskonechnye-pravki/"]')
    assert search_results(page) == ["/advice/beskonechnye-pravki/"]
    result = page.locator(".search-result").first
    letter = (sample_out / "advice/beskonechnye-pravki/index.html").read_text("utf-8")
    excerpt = result.locator(".search-result__excerpt").inner_text()
    assert "заканчиваются" not in excerpt.lower() and result.locator("mark").count() == 0
    assert " ".join(excerpt.split()[:4]) in " ".join(letter.split())

    # Words of the discussion find their advice: "скриншоты" is only in a comment.
    page.fill("#search-q", "скриншотов")
    page.press("#search-q", "Enter")
    page.wait_for_function("location.search.includes('q=')")
    page.wait_for_selector('.search-result a[href="/advice/beskonechnye-pravki/"]')
    assert search_results(page) == ["/advice/beskonechnye-pravki/"]

    # Filters: a rubric, then a topic alone.
    page.goto(sample_url + "/search/?q=" + quote("оплату"))
    assert len(search_results(page)) > 1
    page.select_option("#search-rubric", label="Карьера дизайнера")
    page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    assert search_results(page) == ["/advice/iz-studii-vo-frilans/"]
    assert "rubric=" in page.url

    page.goto(sample_url + "/search/?tag=" + quote("оплата"))
    found = search_results(page)
    tag_page = (sample_out / "tags/oplata/index.html").read_text("utf-8")
    assert found and all(f'href="{url}"' in tag_page for url in found)

    page.locator(".search-result__title a").first.click()
    page.wait_for_url("**/advice/*/")
    clean(watched)


def test_the_column_works_without_javascript(browser: Any, sample_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(sample_url + "/")
        page.fill("#site-search", "оплата")
        page.press("#site-search", "Enter")
        page.wait_for_url("**/search/?q=*")
        note = page.locator("noscript").first
        assert "JavaScript" in page.locator("main").inner_text()
        assert page.locator(".search__form").is_hidden()
        assert 'href="/weekly/"' in note.inner_html()

        page.goto(sample_url + ADVICE)
        reply = page.locator(".comment__reply").first
        reply.click()
        page.wait_for_url("**?reply_to=*#comment-form")
        assert page.locator("#comment-form textarea").is_visible()
        page.locator(".advice__tags a").first.click()
        page.wait_for_url("**/tags/*/")
    finally:
        context.close()


def test_no_script_from_a_comment_runs(watched: Watched, made_site: tuple[Path, str]) -> None:
    url = made_site[1]
    page = watched.page
    page.goto(url + "/advice/gluboko/")
    text = page.locator(".discussion").inner_text()
    assert "<script>" in text and "<b>Хакер</b>" in text
    assert (
        page.locator(".comment__text script, .comment__text img, .comment__text svg").count() == 0
    )
    assert page.locator('.comment__text a[href^="javascript"]').count() == 0
    page.goto(url + "/search/?q=" + quote("бархатного"))
    assert search_results(page) == ["/advice/gluboko/"]
    assert page.locator(".search__results script, .search__results img").count() == 0
    assert page.evaluate("window.pwned") is None
    clean(watched)
