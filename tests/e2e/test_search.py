"""Search: the build writes Pagefind's index of the advice pages (and their discussions) under
/pagefind/, the search page and a search box on every page; serve's preview skips the index."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest
from bs4 import BeautifulSoup

from sovet.assemble import Options
from sovet.pipeline import load_site, render_site
from sovet.problems import BuildFailed, Problems
from sovet.render import search
from sovet.serve import Preview
from sovet.settings import load_settings
from tests.conftest import CLOCK, advice_files, run_build, write_files


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "lxml")


def test_the_build_indexes_the_advice_pages(sample_out: Path) -> None:
    bundle = sample_out / "pagefind"
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.ru.pagefind"} <= names
    assert not [n for n in names if "ui" in n or "playground" in n or "highlight" in n]
    assert any(n.startswith("filter/") for n in names)
    advices = sorted((sample_out / "advice").glob("*/index.html"))
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["ru"]["page_count"] == len(advices)

    marked = {p for p in sample_out.rglob("*.html") if search.MARKER in p.read_bytes()}
    assert marked == set(advices)
    page = soup(advices[0])
    bodies = page.select("[data-pagefind-body]")
    assert [b.name for b in bodies] == ["article", "section"]
    assert bodies[1]["id"] == "comments"  # the discussion is found with its advice
    assert page.select_one("h1[data-pagefind-meta=title]") is not None
    assert page.select_one("time[data-pagefind-meta=date]") is not None
    assert page.select_one("[data-pagefind-filter=rubric]") is not None
    assert page.select("[data-pagefind-filter=tag]")
    for ignored in (".share", "#comment-form", ".comment__actions", ".course"):
        found = page.select_one(ignored)
        if found is not None:
            assert found.find_parent(attrs={"data-pagefind-ignore": True}) or found.get(
                "data-pagefind-ignore"
            ), ignored


def test_every_page_has_the_search_box(sample_out: Path) -> None:
    for path in sample_out.rglob("*.html"):
        if path.name == "email.html" or path.parent.name == "search":
            continue
        form = soup(path).select_one("header form[role=search]")
        assert form is not None and form["action"] == "/search/", path
        assert form.select_one("input[type=search][name=q]")["id"] == "site-search"

    page = soup(sample_out / "search/index.html")
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    noscript = page.select_one("noscript")
    assert "JavaScript" in noscript.get_text()
    assert noscript.select_one('a[href="/weekly/"]') is not None
    assert page.select_one(".search__form")["action"] == "/search/"
    assert [o.get_text() for o in page.select("#search-rubric option")][1:] == [
        "Переговоры и\u00a0отношения с\u00a0клиентом",
        "Жизнь студии",
        "Карьера дизайнера",
    ]
    assert "/search/" not in (sample_out / "sitemap.xml").read_text("utf-8")


def test_search_can_be_turned_off(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", advice_files("odin"))
    with (site / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[search]\nenabled = false\n")
    out = tmp_path / "out"
    result = run_build("build", "--site", str(site), "--out", str(out), "--clock", CLOCK)
    assert result.returncode == 0, result.stderr
    assert not (out / "search").exists() and not (out / "pagefind").exists()
    assert soup(out / "index.html").select_one("form[role=search]") is None


def test_the_preview_skips_the_index_and_a_build_makes_it(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", advice_files("odin"))
    preview = Preview(site, None)
    assert preview.rebuild(), preview.problems
    assert "search/index.html" in preview.files
    assert not [name for name in preview.files if name.startswith("pagefind/")]

    built, theme = load_site(site, Options())
    files = render_site(built, theme)
    assert PurePosixPath("pagefind/pagefind-entry.json") in files
    assert render_site(built, theme, search=False).keys() == files.keys() - {
        path for path in files if path.parts[0] == "pagefind"
    }


PAGE = """<!doctype html><html lang="ru"><head><title>{title}</title></head><body>
<main><article data-pagefind-body><h1>{title}</h1>
<a data-pagefind-filter="rubric">{rubric}</a><a data-pagefind-filter="tag">{tag}</a>
<p>Клиент не платит за {title}.</p></article></main></body></html>"""


def pages() -> dict[PurePosixPath, bytes]:
    made = {}
    for number in range(6):
        text = PAGE.format(title=f"проект {number}", rubric=f"рубрика {number % 3}", tag=number)
        made[PurePosixPath(f"advice/a{number}/index.html")] = text.encode("utf-8")
    made[PurePosixPath("index.html")] = b"<!doctype html><html lang='ru'><body>home</body></html>"
    return made


def test_the_same_pages_give_the_same_index(tmp_path: Path) -> None:
    settings = load_settings(write_files(tmp_path / "site", {}), Problems())
    assert settings is not None
    first = search.index_files(pages(), settings)
    assert first == search.index_files(pages(), settings)
    entry = json.loads(first[PurePosixPath("pagefind/pagefind-entry.json")])
    assert entry["languages"]["ru"]["page_count"] == 6
    assert len([path for path in first if path.parts[1] == "filter"]) == 2
    assert search.page_url(PurePosixPath("advice/a1/index.html")) == "/advice/a1/"


def test_pagefind_missing_is_reported_on_the_settings_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_files(tmp_path / "site", {})
    with (site / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[search]\nenabled = true\n")
    settings = load_settings(site, Problems())
    assert settings is not None
    monkeypatch.setattr(search, "get_executable", lambda: None)
    with pytest.raises(BuildFailed) as failed:
        search.index_files(pages(), settings)
    (problem,) = failed.value.problems
    line = (site / "site.toml").read_text("utf-8").splitlines().index("enabled = true") + 1
    assert problem.path.endswith("site.toml") and problem.line == line
    assert "Pagefind" in problem.message and "enabled = false" in problem.message
