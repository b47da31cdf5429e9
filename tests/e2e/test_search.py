"""Search: the build writes Pagefind's index of the advice pages (and their discussions) under
/pagefind/, the search page and a search box on every page; serve's preview skips the index."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import Stemmer
from bs4 import BeautifulSoup

from sovet.assemble import Options
from sovet.pipeline import load_site, render_site
from sovet.problems import BuildFailed
from sovet.render import search
from sovet.serve import Preview
from tests.conftest import CLOCK, advice_files, run_build, write_files


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "lxml")


def test_the_build_indexes_the_advice_pages(sample_out: Path) -> None:
    bundle = sample_out / "pagefind"
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.ru.pagefind"} <= names
    assert not [n for n in names if "ui" in n or "playground" in n or "highlight" in n]
    assert len([n for n in names if n.startswith("filter/")]) == 2  # rubric and tag
    advices = sorted((sample_out / "advice").glob("*/index.html"))
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["ru"]["page_count"] == len(advices)


def test_a_record_holds_the_advice_and_its_visible_discussion(tmp_path: Path) -> None:
    files = advice_files("odin")
    comments = "content/advice/odin/comments"
    files[f"{comments}/vera.md"] = "---\nauthor: Вера\ndate: 2026-11-21\n---\nСкриншоты помогли.\n"
    files[f"{comments}/spam.md"] = (
        "---\nauthor: Бот\ndate: 2026-11-21\nhidden: true\n---\nКупите слонов.\n"
    )
    site, _ = load_site(write_files(tmp_path / "site", files), Options())
    (advice,) = site.advices
    made = search.record(advice, "ru", lambda when: "DATE")
    assert made["url"] == advice.url and made["language"] == "ru"
    assert made["meta"] == {"title": advice.title, "date": "DATE"}
    assert made["filters"] == {"tag": [], "rubric": [advice.rubric.title]}
    text = made["content"]
    assert advice.title in text and advice.question_text in text and advice.answer_text in text
    assert "Вера: Скриншоты помогли." in text  # an excerpt says who wrote it
    assert "слонов" not in text and "Бот" not in text  # hidden: neither shown nor found


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
    assert PurePosixPath("search/index.html") in preview.files
    assert not [name for name in preview.files if name.parts[0] == "pagefind"]

    built, theme = load_site(site, Options())
    files = render_site(built, theme)
    assert PurePosixPath("pagefind/pagefind-entry.json") in files
    assert render_site(built, theme, search=False).keys() == files.keys() - {
        path for path in files if path.parts[0] == "pagefind"
    }


def test_the_same_column_gives_the_same_index(tmp_path: Path) -> None:
    files = {}
    for number in range(6):
        made = advice_files(f"a{number}", title=f"Проект {number}")
        question = f"content/advice/a{number}/question.md"
        made[question] = made[question].replace("---\n", f"---\ntags: [тема {number % 3}]\n", 1)
        files.update(made)
    site, theme = load_site(write_files(tmp_path / "site", files), Options())
    first = render_site(site, theme)
    again = render_site(site, theme)
    bundle = {path: data for path, data in first.items() if path.parts[0] == "pagefind"}
    assert bundle == {path: data for path, data in again.items() if path.parts[0] == "pagefind"}
    entry = json.loads(bundle[PurePosixPath("pagefind/pagefind-entry.json")])
    assert entry["languages"]["ru"]["page_count"] == 6


def test_a_long_column_is_indexed_in_parts_oldest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {}
    for number in range(12):
        made = advice_files(
            f"a{number:02}", title=f"Проект {number}", date=f"2026-01-{number + 1:02}"
        )
        files.update(made)
    site, theme = load_site(write_files(tmp_path / "site", files), Options())
    monkeypatch.setattr(search, "PART_SIZE", 5)
    made = render_site(site, theme)
    index = {path: data for path, data in made.items() if path.parts[0] == "pagefind"}

    def entry(folder: str) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(index[PurePosixPath(folder, "pagefind-entry.json")])
        return found

    folders = ("pagefind", "pagefind/2", "pagefind/3")
    counts = [entry(folder)["languages"]["ru"]["page_count"] for folder in folders]
    assert counts == [5 + 1, 5 + 1, 2 + 1]  # each part also holds the column's words
    words = search.vocabulary([search.part_words(site.advices, "ru")], "ru")["content"].split()
    assert words == sorted(set(words))
    raw = {word for a in site.advices for word in search.content(a).split()}
    read = {word.lower().strip(search.WORD_EDGES) for word in raw} - {""}
    stem = Stemmer.Stemmer("russian").stemWord
    assert {stem(w) for w in words} == {stem(w) for w in read}  # every stem of the column
    assert len({stem(w) for w in words}) == len(words)  # once
    assert "проект" in words and "Проект" in raw  # as Pagefind reads it: no case, no commas
    assert not [path for path in index if path.parts[1:2] == ("4",)]
    scripts = {path.name for path in index if path.name.endswith(".js")}
    assert scripts == {"pagefind.js", "pagefind-worker.js"}
    assert all(len(path.parts) == 2 for path in index if path.name.endswith(".js"))
    first = [a.slug for a in search.parts(site)[0][1]]
    assert first == [f"a{n:02}" for n in range(5)]  # the oldest: a new advice leaves them be
    page = BeautifulSoup(made[PurePosixPath("search/index.html")], "lxml")
    assert page.select_one("#search")["data-parts"] == "/pagefind/2/ /pagefind/3/"
    assert render_site(site, theme) == made  # parts in a stable form too
    assert render_site(site, theme, jobs=2) == made  # parts left after the pages, two at once


def test_a_part_whose_advices_are_unchanged_shows_the_dates_of_the_last_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Babel is asked only for the dates of parts that changed (a part's fingerprint holds
    Babel's version); a kept part whose dates do not fit its advices is formatted again."""
    files = {}
    for number in range(12):
        files.update(advice_files(f"a{number:02}", date=f"2026-01-{number + 1:02}"))
    site, _ = load_site(write_files(tmp_path / "site", files), Options())
    monkeypatch.setattr(search, "PART_SIZE", 5)
    split = search.parts(site)
    asked = []

    def date(when: Any) -> str:
        asked.append(when)
        return f"day {when.date}"

    kept = {split[0][0]: tuple(f"kept {a.slug}" for a in split[0][1]), split[1][0]: ("short",)}
    dates = search._dates(split, kept, date)
    assert [dates[a.when] for a in split[0][1]] == [f"kept a{n:02}" for n in range(5)]
    assert asked == [a.when for _, advices in split[1:] for a in advices]
    assert dates[split[2][1][0].when] == "day 2026-01-11"


def test_parts_grow_slower_than_the_column() -> None:
    """A publish indexes one part again, a query reads every part: both stay small. A
    growing column keeps its cut (each advice in its part) until the size steps up."""
    sizes = {n: search.part_size(n) for n in (15, 1000, 1717, 1718, 10_000, 50_000)}
    assert sizes == {15: 50, 1000: 50, 1717: 50, 1718: 100, 10_000: 300, 50_000: 950}
    counts = {n: -(-n // size) for n, size in sizes.items()}
    assert (
        counts[1000] == 20 and counts[10_000] == 34 and counts[50_000] == 53
    )  # parts a query reads
    assert all(search.part_size(n) == 300 for n in range(9709, 11000, 7))


def test_pagefind_missing_is_reported_on_the_settings_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_files(tmp_path / "site", advice_files("odin"))
    with (root / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[search]\nenabled = true\n")
    site, theme = load_site(root, Options())
    monkeypatch.setattr(search, "get_executable", lambda: None)
    with pytest.raises(BuildFailed) as failed:
        render_site(site, theme)
    (problem,) = failed.value.problems
    line = (root / "site.toml").read_text("utf-8").splitlines().index("enabled = true") + 1
    assert problem.path.endswith("site.toml") and problem.line == line
    assert "Pagefind" in problem.message and "enabled = false" in problem.message
