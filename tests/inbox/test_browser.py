"""The preview flow in Chromium: an editor publishes, rejects and restores from /_inbox/,
and no reader's words ever run as script on the way.

tests/browser/ keeps one Playwright per session on the main thread; a second sync Playwright
cannot start there, so this scenario drives its own Chromium on a thread of its own.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path


def on_own_thread(scenario: Callable[[Any], None]) -> None:
    """Run scenario(page) with a fresh Chromium page on a new thread; re-raise its failure."""
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium: install Debian's package (apt-get install chromium)")
    failures: list[BaseException] = []

    def work() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
                try:
                    scenario(chromium.new_context().new_page())
                finally:
                    chromium.close()
        except BaseException as error:  # handed to the test's thread
            failures.append(error)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=180)
    assert not thread.is_alive(), "the browser scenario did not finish"
    if failures:
        raise failures[0]


def items(page: Any) -> int:
    return int(page.locator("article.inbox-item").count())


def by(page: Any, author: str) -> Any:
    """The inbox item of the submission signed exactly `author`."""
    name = page.locator(".comment__author", has_text=re.compile(f"^{re.escape(author)}$"))
    return page.locator("article.inbox-item").filter(has=name)


def button(where: Any, name: str) -> Any:
    return where.get_by_role("button", name=name, exact=True)


def test_an_editor_works_through_the_inbox(served: tuple[str, Path]) -> None:
    base, site = served
    dialogs: list[str] = []
    errors: list[str] = []

    def scenario(page: Any) -> None:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on(
            "response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )

        page.goto(base + "/_inbox/")
        assert items(page) == 16
        hostile = page.locator(".inbox-item .comment__author", has_text="<img src=x onerror=")
        assert hostile.count() == 1

        button(by(page, "Антон Сергеевич"), "Опубликовать").click()
        page.wait_for_url(base + "/advice/first/#comment-anton-sergeevich-1")
        comment = page.locator(".thread--replies #comment-anton-sergeevich-1")
        assert comment.is_visible()
        assert "«Ольгой»" in comment.inner_text()

        page.goto(base + "/_inbox/")
        assert items(page) == 15
        button(by(page, "Бот"), "Отклонить").click()
        page.wait_for_url(base + "/_inbox/")
        assert items(page) == 14
        page.locator("details.inbox-rejected summary").click()
        button(page, "Вернуть").click()
        page.wait_for_url(re.compile(r"/_inbox/#s-[0-9a-f]+$"))
        assert items(page) == 15

        vera = by(page, "Вера")  # her reply target is hidden: publish her at the top
        vera.locator("select[name=reply_to]").select_option("")
        button(vera, "Опубликовать").click()
        page.wait_for_url(base + "/advice/first/#comment-vera-1")
        assert page.locator("#comment-vera-1").is_visible()

        page.goto(base + "/_inbox/")
        button(page, "Отклонить все похожие на спам").click()
        page.wait_for_url(base + "/_inbox/")
        assert items(page) == 11
        assert page.locator(".inbox-item--flagged").count() == 0

    on_own_thread(scenario)
    assert len(list((site / "inbox/rejected").glob("*.md"))) == 3
    assert dialogs == []
    assert errors == []


def test_another_page_cannot_frame_the_inbox(served: tuple[str, Path]) -> None:
    """Clickjacking: a hostile page puts /_inbox/ in an invisible frame over a bait button.
    Chromium refuses to show it in the frame, so there is nothing to click."""
    base, site = served
    before = sorted(p.name for p in (site / "inbox").glob("*.md"))

    def scenario(page: Any) -> None:
        page.set_content(
            f'<iframe id="bait" src="{base}/_inbox/" style="opacity:0.01"></iframe>'
            f'<iframe id="page" src="{base}/"></iframe>'
        )
        page.wait_for_timeout(1500)
        framed = [frame for frame in page.frames if frame != page.main_frame]
        assert len(framed) == 2
        for frame in framed:
            assert frame.locator("form, main").count() == 0, frame.url

    on_own_thread(scenario)
    assert sorted(p.name for p in (site / "inbox").glob("*.md")) == before
