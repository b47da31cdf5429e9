"""Accessibility of every page type: axe-core in Chromium (light, and contrast in dark), the
page's bones (lang, landmarks, one h1 and no skipped heading level, the skip link), reflow on
a 360 px screen, and focus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.conftest import Watched, watch

# One page of each type the build makes; a week is found in the built archive.
PAGE_TYPES = {
    "home": "/",
    "advice": "/advice/oplata-posle-sdachi/",
    "weekly archive": "/weekly/",
    "week": "week",
    "topics": "/tags/",
    "topic": "/tags/oplata/",
    "rubrics": "/rubrics/",
    "rubric": "/rubrics/negotiations/",
    "subscribe": "/subscribe/",
    "subscribe confirm": "/subscribe/confirm/",
    "subscribe welcome": "/subscribe/welcome/",
    "ask": "/ask/",
    "plain page": "/about/",
    "search": "/search/?q=" + quote("оплату"),
    "not found": "/404.html",
}
# Structure rules axe rates moderate; a column's pages keep them too.
STRUCTURE = {
    "heading-order",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "page-has-heading-one",
    "region",
    "skip-link",
}
RUN_AXE = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""
BONES = """() => ({
  lang: document.documentElement.lang,
  main: document.querySelectorAll("main").length,
  banner: document.querySelectorAll("body > header").length,
  footer: document.querySelectorAll("body > footer").length,
  headings: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(h => +h.tagName[1]),
  skip: document.querySelector("a[href]")?.getAttribute("href"),
})"""


def page_url(name: str, sample_out: Path) -> str:
    url = PAGE_TYPES[name]
    if url == "week":
        week = sorted((sample_out / "weekly").glob("*-w*"))[0]
        return f"/weekly/{week.name}/"
    return url


def axe(page: Any, source: str, options: dict[str, Any]) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE, options)
    return found


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in ("serious", "critical") or v["id"] in STRUCTURE]


@pytest.fixture(scope="module")
def reader(browser: Any) -> Iterator[Watched]:
    """One page for every page type: axe is the slow part, not a fresh browser context."""
    context = browser.new_context()
    yield watch(context)
    context.close()


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_is_accessible(
    name: str, reader: Watched, sample_url: str, sample_out: Path, axe_source: str
) -> None:
    page = reader.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(color_scheme="light")
    page.goto(sample_url + page_url(name, sample_out))
    if name == "search":
        page.wait_for_selector(".search-result")

    assert blocking(axe(page, axe_source, {"resultTypes": ["violations"]})) == []
    page.emulate_media(color_scheme="dark")
    dark = {
        "runOnly": {"type": "rule", "values": ["color-contrast"]},
        "resultTypes": ["violations"],
    }
    assert axe(page, axe_source, dark) == []

    bones = page.evaluate(BONES)
    assert bones["lang"] == "ru"
    assert (bones["main"], bones["banner"], bones["footer"]) == (1, 1, 1)
    assert bones["headings"].count(1) == 1 and bones["headings"][0] == 1
    jumps = [b - a for a, b in zip(bones["headings"], bones["headings"][1:], strict=False)]
    assert max(jumps, default=0) <= 1, bones["headings"]
    assert bones["skip"] == "#main"

    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # reflows, no sideways
    assert reader.console_errors == [] and reader.failed_requests == []


def test_keyboard_reaches_the_text_first_and_shows_focus(watched: Watched, sample_url: str) -> None:
    page = watched.page
    page.goto(sample_url + "/advice/oplata-posle-sdachi/")
    page.keyboard.press("Tab")
    skip = page.evaluate(
        """() => { const a = document.activeElement, box = a.getBoundingClientRect(),
        style = getComputedStyle(a);
        return {cls: a.className, top: box.top, outline: style.outlineStyle,
                width: parseFloat(style.outlineWidth)}; }"""
    )
    assert skip["cls"] == "skip-link" and skip["top"] >= 0
    assert skip["outline"] != "none" and skip["width"] >= 2
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const style = getComputedStyle(document.activeElement);
        return {tag: document.activeElement.tagName, outline: style.outlineStyle,
                width: parseFloat(style.outlineWidth)}; }"""
    )
    assert focused["tag"] == "A" and focused["outline"] != "none" and focused["width"] >= 2
