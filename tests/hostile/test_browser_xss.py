"""The hostile column in a real Chromium: no vector runs, on any page, in search results too.

Every vector calls alert(), and the page records every dialog; after loading, the live DOM is
asked what Chromium itself made of the markup: no event attribute anywhere, no script but the
theme's, and every link in a comment is http, https or mailto as the browser resolved it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Watched, serve_folder
from tests.hostile.conftest import DISCUSSION, HostileSite
from tests.hostile.vectors import NAMES, VECTORS

# What Chromium made of the page: anything that could run, listed.
LIVE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) found.push(el.tagName + ' ' + attr.name);
    }
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'object', 'embed', 'svg', 'math', 'base', 'frame'].includes(tag)) found.push(tag);
    if (tag === 'script' && !/\\/(static|pagefind)\\//.test(el.src)) found.push('script ' + el.src);
  }
  for (const a of document.querySelectorAll('.comment__text a, .search__results a')) {
    if (!['http:', 'https:', 'mailto:'].includes(a.protocol)) found.push('link ' + a.href);
  }
  for (const el of document.querySelectorAll('a[href], [src], form[action]')) {
    const url = el.href || el.src || el.action || '';
    if (/^(javascript|data|vbscript):/i.test(url)) found.push('url ' + url);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_url(hostile: HostileSite) -> Iterator[str]:
    base, stop = serve_folder(hostile.out)
    yield base
    stop()


def visit(watched: Watched, url: str) -> Any:
    page = watched.page
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def assert_nothing_ran(watched: Watched, page: Any, site_page: bool = True) -> None:
    assert page.evaluate(LIVE) == []
    assert watched.dialogs == []
    if site_page:  # a letter has no favicon: Chromium asks for /favicon.ico, gets a 404
        assert watched.console_errors == []
        assert watched.failed_requests == []


def test_the_discussion_runs_nothing(watched: Watched, hostile_url: str) -> None:
    page = visit(watched, f"{hostile_url}/advice/{DISCUSSION}/")
    assert page.locator(".comment__text").count() == len(VECTORS)
    for link in page.locator(".comment__text a").all()[:5]:
        link.hover()  # an onmouseover that slipped through would fire now
    assert_nothing_ran(watched, page)


def test_pages_with_hostile_names_run_nothing(watched: Watched, hostile_url: str) -> None:
    for url in ["/", "/weekly/", "/tags/"]:
        assert_nothing_ran(watched, visit(watched, hostile_url + url))
    for number in range(0, len(NAMES), 2):
        page = visit(watched, f"{hostile_url}/advice/name-{number}/")
        assert page.title().startswith(page.locator("h1").inner_text())
        assert_nothing_ran(watched, page)


def test_the_weekly_letter_runs_nothing(
    watched: Watched, hostile_url: str, hostile: HostileSite
) -> None:
    for letter in sorted(hostile.out.glob("weekly/*/email.html")):
        relative = letter.relative_to(hostile.out).as_posix()
        assert_nothing_ran(watched, visit(watched, f"{hostile_url}/{relative}"), site_page=False)


def test_search_results_run_nothing(watched: Watched, hostile_url: str) -> None:
    page = visit(watched, f"{hostile_url}/search/?q=alert")
    page.wait_for_function(
        "document.querySelectorAll('.search__results li').length > 0", timeout=15000
    )
    assert_nothing_ran(watched, page)
