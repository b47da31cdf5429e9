"""A column under a path of its domain (GitHub Pages project sites): styles, links and search
work in Chromium, served by `sovet serve --built` under that path."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import Watched
from tests.publishing.test_serve_built import column, serving_built


def test_search_and_links_work_under_a_sub_path(watched: Watched, tmp_path: Path) -> None:
    site = column(tmp_path / "site")
    page = watched.page
    with serving_built(site) as port:
        base = f"http://127.0.0.1:{port}"
        page.goto(f"{base}/column/")
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""
        assert (
            page.locator("link[rel=stylesheet]")
            .first.get_attribute("href")
            .startswith("/column/static/")
        )
        page.fill("#site-search", "Вопрос")
        page.press("#site-search", "Enter")
        page.wait_for_url("**/column/search/?q=*")
        page.wait_for_function("document.querySelectorAll('.search-result').length === 2")
        found = page.locator(".search-result__title a").evaluate_all(
            "links => links.map(a => new URL(a.href).pathname)"
        )
        assert sorted(found) == ["/column/advice/a/", "/column/advice/b/"]
        page.goto(f"{base}/column/search/?q=" + "другой")
        page.wait_for_selector(".search-result")
        page.locator(".search-result__title a").first.click()
        page.wait_for_url(f"{base}/column/advice/a/")
        page.get_by_role("link", name="другой совет").click()
        page.wait_for_url(f"{base}/column/advice/b/")
    assert watched.failed_requests == [] and watched.console_errors == []
