"""The look, measured: the measure of the text, a deep thread on a phone, print and dark mode;
and the weight: CSS, HTML, no web fonts. (Every page type on a phone: test_accessibility.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Watched

ADVICE = "/advice/oplata-posle-sdachi/"
# Characters on each full line of the paragraphs matching a selector (the last line of each
# paragraph is left out: it is as short as the text makes it).
LINE_LENGTHS = """(selector) => {
  const lengths = [];
  for (const block of document.querySelectorAll(selector)) {
    const lines = new Map();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        const top = Math.round(rect.top / 4);
        lines.set(top, (lines.get(top) || 0) + 1);
      }
    }
    const counts = [...lines.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
    lengths.push(...counts.slice(0, -1));
  }
  return lengths;
}"""


def median(values: list[int]) -> float:
    ordered = sorted(values)
    return float(ordered[len(ordered) // 2])


@pytest.mark.parametrize("width", [768, 1280])
def test_text_is_set_to_a_readable_measure(watched: Watched, sample_url: str, width: int) -> None:
    page = watched.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(sample_url + ADVICE)
    lengths = page.evaluate(LINE_LENGTHS, ".answer .prose > p:not(:first-child)")
    assert len(lengths) >= 10
    assert 60 <= median(lengths) <= 75, lengths


def test_a_thread_five_replies_deep_reads_on_a_phone(
    watched: Watched, made_site: tuple[Path, str]
) -> None:
    page = watched.page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(made_site[1] + "/advice/gluboko/")
    widths = page.evaluate(
        """() => [...document.querySelectorAll('[id^="comment-deep-"] .comment__text')]
        .map(e => e.getBoundingClientRect().width)"""
    )
    assert len(widths) == 7
    assert widths[5] >= 0.7 * widths[0], widths  # depth 5 keeps most of the line
    assert widths[6] == widths[5]  # deeper replies stop indenting
    top = median(page.evaluate(LINE_LENGTHS, "#comment-deep-0 .comment__text p"))
    deep = median(page.evaluate(LINE_LENGTHS, "#comment-deep-5 .comment__text p"))
    assert deep >= 0.8 * top and deep >= 22, (top, deep)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def styles(page: Any, selector: str) -> dict[str, str]:
    found: dict[str, str] = page.eval_on_selector(
        selector,
        """e => { const s = getComputedStyle(e);
        return {display: s.display, color: s.color, background: s.backgroundColor}; }""",
    )
    return found


def test_an_advice_prints_without_the_furniture(watched: Watched, sample_url: str) -> None:
    page = watched.page
    page.goto(sample_url + ADVICE)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".share", "#comment-form", ".recent"):
        assert styles(page, hidden)["display"] == "none", hidden
    for shown in (".question", ".answer", ".discussion", ".comment__text"):
        assert styles(page, shown)["display"] != "none", shown
    assert styles(page, "body")["background"] == "rgb(255, 255, 255)"
    assert page.locator(".comment__reply").first.is_hidden()


def luminance(color: str) -> float:
    red, green, blue = (int(n) for n in re.findall(r"\d+", color)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_light_and_dark(watched: Watched, sample_url: str, scheme: str) -> None:
    page = watched.page
    page.emulate_media(color_scheme=scheme)
    page.goto(sample_url + ADVICE)
    body = styles(page, "body")
    paper, ink = luminance(body["background"]), luminance(body["color"])
    assert (paper > ink) == (scheme == "light")
    assert abs(paper - ink) > 0.6


def test_css_is_small_and_needs_no_web_fonts(sample_out: Path) -> None:
    css = list((sample_out / "static").glob("*.css"))
    assert len(css) == 2  # the page's and the print stylesheet
    assert sum(path.stat().st_size for path in css) < 20_000
    assert not any("@font-face" in path.read_text("utf-8") for path in css)
    fonts = [p for p in sample_out.rglob("*") if p.suffix in (".woff", ".woff2", ".ttf", ".otf")]
    assert fonts == []


def test_pages_are_light_even_with_fifty_comments(
    sample_out: Path, made_site: tuple[Path, str]
) -> None:
    out = made_site[0]
    advice = out / "advice/gluboko/index.html"
    assert advice.read_text("utf-8").count('class="comment ') == 50
    assert advice.stat().st_size < 100_000
    for folder in (sample_out, out):
        for path in folder.rglob("*.html"):
            assert path.stat().st_size < 100_000, path
