"""A site in another folder: its own settings, theme and template overrides, English."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import advice_files, run_build, write_files

ENGLISH_TOML = """\
title = "Advice"
base_url = "https://example.com/column/"
language = "en"
timezone = "UTC"
columnist = "Ann"
theme = "plain"
permalink = "/{year}/{month}/{slug}/"
per_page = 2

[rubrics.money]
title = "Money"
signature = "That was the money advice."

[comments]
email = "editors@example.com"
"""


def test_another_site_folder_with_its_theme(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            "site.toml": ENGLISH_TOML,
            **advice_files("first", date="2026-01-02"),
            **advice_files("second", date="2026-01-09 08:15"),
            **advice_files("third", date="2026-02-27"),
            "content/advice/third/comments/one.md": "---\nauthor: Bob\ndate: 2026-02-28 09:00\n---\nNice.\n",
            "themes/plain/templates/page.html": "{% extends 'base.html' %}{% block main %}<p class=plain-theme>{{ page.title }}</p>{% endblock %}",
            "themes/plain/static/style.css": "body { color: black; }\n",
            "templates/404.html": "<p class=override>gone</p>\n",
            "static/favicon.ico": "icon",
            "content/pages/about.md": "---\ntitle: About\nmenu: 1\n---\nHello.\n",
        },
    )
    out = tmp_path / "built"
    result = run_build("build", "--site", str(site), "--out", str(out), "--clock", "2026-03-01")
    assert result.returncode == 0, result.stderr
    assert "Built" in result.stdout
    advice = BeautifulSoup((out / "2026/02/third/index.html").read_text("utf-8"), "lxml")
    assert advice.html["lang"] == "en"
    assert advice.select_one(".advice__meta time").get_text() == "February\u00a027, 2026"
    assert advice.select_one(".comment__date").get_text() == "February\u00a028, 2026, 9:00\u202fAM"
    assert advice.select_one("#comments-title").get_text() == "1 comment"
    assert (
        advice.find("link", rel="canonical")["href"] == "https://example.com/column/2026/02/third/"
    )
    css = advice.find("link", rel="stylesheet")["href"]
    assert css.startswith("/column/static/style.")
    assert (out / css.removeprefix("/column/")).read_text("utf-8") == "body { color: black; }\n"
    assert advice.select_one("a[href^='mailto:editors@example.com']") is not None
    assert (out / "page/2/index.html").is_file()
    assert "plain-theme" in (out / "about/index.html").read_text("utf-8")
    assert (out / "404.html").read_text("utf-8").strip() == "<p class=override>gone</p>"
    assert (out / "favicon.ico").read_text("utf-8") == "icon"


def test_base_url_flag_overrides_settings(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", advice_files("a"))
    out = tmp_path / "out"
    result = run_build(
        "build", "--site", str(site), "--out", str(out), "--base-url", "https://staging.example.net"
    )
    assert result.returncode == 0, result.stderr
    html = (out / "advice/a/index.html").read_text("utf-8")
    assert 'href="https://staging.example.net/advice/a/"' in html


def test_unknown_theme(tmp_path: Path) -> None:
    site = write_files(tmp_path, advice_files("a"))
    toml = (
        (site / "site.toml")
        .read_text("utf-8")
        .replace('columnist = "Илья"', 'columnist = "Илья"\ntheme = "nope"')
    )
    (site / "site.toml").write_text(toml, "utf-8")
    result = run_build("build", "--site", str(site))
    assert result.returncode == 1
    assert "site.toml:6: theme 'nope' not found" in result.stderr


def test_a_third_language_needs_only_a_catalogue(tmp_path: Path) -> None:
    toml = ENGLISH_TOML.replace('language = "en"', 'language = "uk"').replace(
        'theme = "plain"\n', ""
    )
    site = write_files(
        tmp_path / "site", {"site.toml": toml, **advice_files("a", date="2026-01-02")}
    )
    missing = run_build("check", "--site", str(site))
    assert missing.returncode == 1
    assert "site.toml:3: language 'uk': the theme has no locales/uk.po" in missing.stderr
    catalogue = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Archive"\nmsgstr "Архів"\n'
    write_files(site, {"themes/default/locales/uk.po": catalogue})
    out = tmp_path / "out"
    result = run_build("build", "--site", str(site), "--out", str(out), "--clock", "2026-03-01")
    assert result.returncode == 0, result.stderr
    home = BeautifulSoup((out / "index.html").read_text("utf-8"), "lxml")
    assert home.html["lang"] == "uk"
    assert "Архів" in [a.get_text() for a in home.select(".site-nav a")]
    assert "січня" in home.select_one(".advice-card__meta time").get_text()
