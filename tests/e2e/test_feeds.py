"""Every feed read back with feedparser, as a feed reader or an RSS-to-email service would."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup

from tests.conftest import CLOCK, PROJECT, advice_files, run_build, write_files

BASE = "https://sovet.example.org/"


def parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


def all_feeds(out: Path) -> list[Path]:
    return sorted([*out.rglob("feed.xml"), *out.rglob("atom.xml"), *out.rglob("comments.xml")])


def test_every_feed_is_well_formed_with_absolute_links(sample_out: Path) -> None:
    feeds = all_feeds(sample_out)
    tags = len([p for p in (sample_out / "tags").iterdir() if p.is_dir()])
    advices = len(list((sample_out / "advice").iterdir()))
    # site RSS+Atom, tags and rubrics (RSS+Atom each), comments, one per advice, weekly
    assert len(feeds) == 2 + 2 * tags + 2 * 3 + 1 + advices + 1
    for path in feeds:
        parsed = parse(path)
        assert (
            parsed.feed.get("language", parsed.feed.get("lang")) == "ru" or path.name == "atom.xml"
        )
        for entry in parsed.entries:
            assert entry.link.startswith(BASE), (path, entry.link)
            assert entry.id
            assert entry.get("published_parsed") is not None
            for html in [c.value for c in entry.get("content", [])]:
                soup = BeautifulSoup(html, "lxml")
                for link in soup.find_all(["a", "img"]):
                    target = link.get("href") or link.get("src")
                    assert target.startswith(("http://", "https://", "mailto:")), (path, target)


def test_site_feeds_list_the_newest_advices(sample_out: Path) -> None:
    rss = parse(sample_out / "feed.xml")
    atom = parse(sample_out / "atom.xml")
    assert rss.version == "rss20"
    assert atom.version == "atom10"
    assert len(rss.entries) == len(atom.entries) == 14  # every published advice, under items = 20
    home = BeautifulSoup((sample_out / "index.html").read_text("utf-8"), "lxml")
    first = home.select_one(".advice-card__title a")
    assert rss.entries[0].link == BASE + first["href"].lstrip("/")
    assert rss.entries[0].title == first.get_text()  # typeset exactly as on the page
    assert "«" in " ".join(e.title for e in rss.entries) or "—" in " ".join(
        e.summary for e in rss.entries
    )
    assert [e.id for e in rss.entries] == [e.id for e in atom.entries]
    assert rss.entries[0].id.startswith("tag:sovet.example.org,2026-")
    assert rss.entries[0].content[0].value  # full_content


def test_guids_are_stable_between_builds(tmp_path: Path, sample_out: Path) -> None:
    out = tmp_path / "again"
    assert run_build("build", "--out", str(out), "--clock", CLOCK).returncode == 0
    for path in all_feeds(sample_out):
        assert (out / path.relative_to(sample_out)).read_bytes() == path.read_bytes(), path


def test_comment_feeds(sample_out: Path) -> None:
    site_wide = parse(sample_out / "comments.xml")
    assert len(site_wide.entries) == 20
    times = [e.published_parsed for e in site_wide.entries]
    assert times == sorted(times, reverse=True)
    assert all("#comment-" in e.link for e in site_wide.entries)
    for entry in site_wide.entries:  # each comment links to the advice it was written under
        path, _, anchor = entry.link.removeprefix(BASE).partition("#")
        page_of = (sample_out / path / "index.html").read_text("utf-8")
        assert f'id="{anchor}"' in page_of, entry.link
        assert (sample_out / path / "comments.xml").read_text("utf-8").count(entry.id) == 1
    per_advice = parse(sample_out / "advice/oplata-posle-sdachi/comments.xml")
    page = BeautifulSoup(
        (sample_out / "advice/oplata-posle-sdachi/index.html").read_text("utf-8"), "lxml"
    )
    assert len(per_advice.entries) == len(page.select("article.comment__body"))
    alternate = page.find(
        "link", rel="alternate", href=BASE + "advice/oplata-posle-sdachi/comments.xml"
    )
    assert alternate is not None


def test_tag_rubric_and_weekly_feeds(sample_out: Path) -> None:
    tag_page = BeautifulSoup((sample_out / "tags/oplata/index.html").read_text("utf-8"), "lxml")
    tag_feed = parse(sample_out / "tags/oplata/feed.xml")
    assert len(tag_feed.entries) == len(tag_page.select(".advice-card"))
    assert tag_page.find("link", rel="alternate", href=BASE + "tags/oplata/atom.xml") is not None
    rubric = parse(sample_out / "rubrics/career/atom.xml")
    assert rubric.entries
    weekly = parse(sample_out / "weekly/feed.xml")
    weeks = [p for p in (sample_out / "weekly").iterdir() if p.is_dir()]
    assert len(weekly.entries) == len(weeks)
    letter = BeautifulSoup((sample_out / "weekly/2026-w47/email.html").read_text("utf-8"), "lxml")
    entry = next(e for e in weekly.entries if e.link.endswith("/weekly/2026-w47/"))
    item = BeautifulSoup(entry.content[0].value, "lxml")
    assert [a["href"] for a in item.find_all("a")] == [a["href"] for a in letter.body.find_all("a")]
    assert item.get_text(" ", strip=True) == letter.body.get_text(" ", strip=True)


def test_hostile_names_are_escaped_in_feeds(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            **advice_files("a"),
            "content/advice/a/comments/x.md": '---\nauthor: "<script>alert(1)</script> & Co"\ndate: 2026-11-21\n---\n<img src=x onerror=alert(1)> [a](javascript:alert(1))\n',
        },
    )
    out = tmp_path / "out"
    assert (
        run_build("build", "--site", str(site), "--out", str(out), "--clock", CLOCK).returncode == 0
    )
    for name in ("comments.xml", "advice/a/comments.xml"):
        raw = (out / name).read_text("utf-8")
        assert "<script>" not in raw
        parsed = parse(out / name)
        entry = parsed.entries[0]
        assert (
            "<script>alert(1)</script> & Co" in entry.title
            or entry.author == "<script>alert(1)</script> & Co"
        )
        soup = BeautifulSoup(entry.content[0].value, "lxml")
        assert soup.find("img") is None and soup.find("script") is None
        assert all(not a["href"].startswith("javascript") for a in soup.find_all("a"))


def test_items_and_summaries_only(tmp_path: Path) -> None:
    files = {
        f"content/advice/a{i}/{k}": v
        for i in range(4)
        for k, v in [
            ("question.md", f"---\ntitle: Совет {i}\nauthor: И.\n---\nВопрос {i}.\n"),
            ("answer.md", f"---\ndate: 2026-11-{10 + i}\n---\nОтвет [ссылка](/weekly/).\n"),
        ]
    }
    site = write_files(tmp_path / "site", files)
    toml = (site / "site.toml").read_text("utf-8") + "\n[feeds]\nitems = 2\nfull_content = false\n"
    (site / "site.toml").write_text(toml, "utf-8")
    out = tmp_path / "out"
    assert (
        run_build("build", "--site", str(site), "--out", str(out), "--clock", CLOCK).returncode == 0
    )
    rss = parse(out / "feed.xml")
    assert [e.title for e in rss.entries] == ["Совет 3", "Совет 2"]
    assert "content" not in rss.entries[0]
    assert rss.entries[0].summary == "Вопрос 3."


def test_base_url_flag_moves_every_feed_link(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_build(
        "build",
        "--out",
        str(out),
        "--clock",
        CLOCK,
        "--base-url",
        "https://mirror.example.net/sovet/",
    )
    assert result.returncode == 0, result.stderr
    rss = parse(out / "feed.xml")
    assert all(e.link.startswith("https://mirror.example.net/sovet/advice/") for e in rss.entries)
    html = rss.entries[0].content[0].value
    assert 'href="/' not in html


def test_the_newest_comments_are_found_without_sorting_them_all() -> None:
    from sovet.assemble import Options
    from sovet.model import comment_order
    from sovet.pipeline import load_site
    from sovet.render.feeds import _all_comments

    site, _ = load_site(PROJECT, Options(now=dt.datetime.fromisoformat(CLOCK)))
    every = [(a, c) for a in site.advices for c in a.comments()]
    every.sort(key=lambda pair: comment_order(pair[1]), reverse=True)
    assert len({a.slug for a in site.advices if a.last_comment}) > 5
    for count in range(1, 8):
        found = list(itertools.islice(_all_comments(site, count), count))
        assert [(a.slug, c.id) for a, c in found] == [(a.slug, c.id) for a, c in every[:count]]
