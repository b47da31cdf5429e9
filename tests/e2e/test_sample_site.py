"""The shipped sample column, built as a user would, read back with a real HTML parser."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from tests.conftest import CLOCK, PROJECT, run_build

Page = Callable[[str], BeautifulSoup]
CONTENT = PROJECT / "content" / "advice"


def front(path: Path) -> dict[str, object]:
    return dict(yaml.safe_load(path.read_text("utf-8").split("---")[1]))


def untypeset(text: str) -> str:
    """Text with the typographer's changes undone, to compare with the source."""
    for typeset, plain in (("\u00a0", " "), ("«", '"'), ("»", '"'), ("„", '"'), ("“", '"')):
        text = text.replace(typeset, plain)
    return text.replace(" — ", " - ").replace("…", "...")


def published_slugs() -> list[str]:
    slugs = []
    for folder in sorted(CONTENT.iterdir()):
        answer = folder / "answer.md"
        if not answer.exists():
            continue
        meta = front(answer)
        if meta.get("draft") or str(meta["date"]) > CLOCK.replace("T", " "):
            continue
        slugs.append(folder.name)
    return slugs


def test_a_complete_site(sample_out: Path) -> None:
    html = list(sample_out.rglob("*.html"))
    assert len(html) >= 30
    for name in ("404.html", "sitemap.xml", "robots.txt", "index.html"):
        assert (sample_out / name).is_file()
    for folder in (
        "weekly",
        "tags",
        "rubrics",
        "subscribe",
        "subscribe/confirm",
        "subscribe/welcome",
        "about",
    ):
        assert (sample_out / folder / "index.html").is_file(), folder


def test_every_published_advice_has_its_page(sample_out: Path, page: Page) -> None:
    slugs = published_slugs()
    assert len(slugs) >= 12
    for slug in slugs:
        soup = page(f"/advice/{slug}/")
        title = front(CONTENT / slug / "question.md")["title"]
        assert soup.h1 is not None
        assert len(soup.h1.get_text()) > 0
        assert (
            soup.find("link", rel="canonical")["href"]
            == f"https://sovet.example.org/advice/{slug}/"
        )
        assert soup.find("meta", property="og:title")["content"]
        assert soup.find("meta", attrs={"name": "description"})["content"]
        assert untypeset(soup.h1.get_text()) == untypeset(str(title))


def test_drafts_scheduled_and_unanswered_are_left_out(sample_out: Path) -> None:
    built = {p.name for p in (sample_out / "advice").iterdir()}
    all_folders = {p.name for p in CONTENT.iterdir()}
    left_out = all_folders - built
    assert len(left_out) >= 3  # a draft, a scheduled advice, a letter without an answer
    assert built == set(published_slugs())
    sitemap = (sample_out / "sitemap.xml").read_text("utf-8")
    for slug in left_out:
        assert f"/advice/{slug}/" not in sitemap


def test_drafts_and_future_flags_include_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_build("build", "--out", str(out), "--clock", CLOCK, "--drafts", "--future")
    assert result.returncode == 0, result.stderr
    built = {p.name for p in (out / "advice").iterdir()}
    answered = {p.name for p in CONTENT.iterdir() if (p / "answer.md").exists()}
    assert built == answered
    badges = " ".join(
        b.get_text()
        for p in out.joinpath("advice").rglob("index.html")
        for b in BeautifulSoup(p.read_text("utf-8"), "lxml").select(".advice__meta .badge")
    )
    assert "Черновик" in badges and "Запланирован" in badges


def test_threaded_discussion_with_anchors(page: Page) -> None:
    hidden = [p for p in CONTENT.rglob("comments/*.md") if front(p).get("hidden")]
    assert hidden, "the sample has a hidden comment"
    folder = hidden[0].parent.parent
    soup = page(f"/advice/{folder.name}/")
    ids = [a["id"] for a in soup.select("article.comment__body")]
    assert f"comment-{hidden[0].stem}" not in ids
    replies = [
        p.stem
        for p in (folder / "comments").glob("*.md")
        if front(p).get("reply_to") == hidden[0].stem
    ]
    assert replies, "the hidden comment has replies"
    for reply in replies:
        assert f"comment-{reply}" in ids
    for link in soup.select("a.comment__date"):
        assert link["href"].lstrip("#") in ids
    visible = [p for p in (folder / "comments").glob("*.md") if not front(p).get("hidden")]
    assert len(ids) == len(visible)
    assert re.search(rf"\b{len(visible)}\s", soup.select_one("#comments-title").get_text())


def test_no_comment_of_the_sample_shows_markup_as_words(page: Page) -> None:
    """The sample shows sovet at its best: readers' raw HTML stays text (tested elsewhere),
    so the sample's readers write Markdown."""
    for slug in published_slugs():
        for text in page(f"/advice/{slug}/").select(".comment__text"):
            assert not re.search(r"</?[a-z]+[ >]", text.get_text()), (slug, text.get_text())


def test_nesting_follows_reply_to(page: Page) -> None:
    for comment_file in CONTENT.rglob("comments/*.md"):
        meta = front(comment_file)
        target = meta.get("reply_to")
        slug = comment_file.parent.parent.name
        if not target or meta.get("hidden") or slug not in published_slugs():
            continue
        parent_meta = front(comment_file.parent / f"{target}.md")
        if parent_meta.get("hidden"):
            continue
        soup = page(f"/advice/{slug}/")
        node = soup.find(id=f"comment-{comment_file.stem}")
        parent_li = node.find_parent("li").find_parent("li")
        assert parent_li.find("article")["id"] == f"comment-{target}"


def test_asker_and_columnist_are_marked(sample_out: Path) -> None:
    text = " ".join(p.read_text("utf-8") for p in (sample_out / "advice").rglob("index.html"))
    assert text.count("comment--asker") >= 2
    assert text.count("comment--columnist") >= 2


def test_home_paginates_and_lists_recently_discussed(page: Page) -> None:
    home = page("/")
    cards = home.select(".advice-card")
    assert len(cards) == 5  # per_page of the sample
    assert home.select_one("a[rel=next]")["href"] == "/page/2/"
    recent = home.select(".recent__list li")
    assert len(recent) == 5
    assert all(re.search(r"\d+\s+комментари", li.get_text()) for li in recent)
    second = page("/page/2/")
    assert second.select_one("a[rel=prev]")["href"] == "/"


def test_weekly_archive(page: Page, sample_out: Path) -> None:
    archive = page("/weekly/")
    weeks = archive.select(".archive-week a[href^='/weekly/']")
    assert len(weeks) >= 5
    for link in weeks:
        assert re.fullmatch(r"/weekly/\d{4}-w\d{2}/", link["href"])
        assert (sample_out / link["href"].lstrip("/") / "index.html").is_file()
    linked = sum(len(page(a["href"]).select(".advice-card")) for a in weeks)
    assert linked == len(published_slugs())
    assert any(len(page(a["href"]).select(".advice-card")) >= 2 for a in weeks)


def test_tags_have_latin_slugs_and_list_their_advices(page: Page) -> None:
    tags = page("/tags/").select(".tag-cloud a")
    assert len(tags) >= 10
    for link in tags:
        assert re.fullmatch(r"/tags/[a-z0-9-]+/", link["href"]), link["href"]
        assert page(link["href"]).select(".advice-card")


def test_rubrics_and_pages(page: Page) -> None:
    rubric = page("/rubrics/negotiations/")
    assert rubric.select(".advice-card")
    assert rubric.select_one(".page-lead")
    about = page("/about/")
    assert about.select_one(".prose p")
    nav = [a["href"] for a in page("/").select(".site-nav a")]
    assert "/about/" in nav


def test_advice_page_parts(page: Page) -> None:
    slug = next(s for s in published_slugs() if (CONTENT / s / "comments").is_dir())
    soup = page(f"/advice/{slug}/")
    assert soup.select_one(".question .signature").get_text().strip()
    assert soup.select_one(".answer .signature").get_text().strip()
    assert soup.select_one(".postscript").get_text().startswith("P.\u00a0S.")
    share = [a["href"] for a in soup.select(".share a")]
    assert any(h.startswith("mailto:") for h in share)
    assert any(h.startswith("https://t.me/") for h in share)
    assert any(h.startswith("https://vk.com/") for h in share)
    form = soup.select_one("form#comment-form")
    assert form["action"] == "https://forms.example.org/sovet-comments"
    assert form.select_one("input[name=slug]")["value"] == slug
    assert form.select_one("input[name=reply_to]") is not None
    reply = soup.select_one("a.comment__reply")
    assert reply is not None and "reply_to=" in reply["href"]


def test_subscribe_pages(page: Page) -> None:
    form = page("/subscribe/").select_one(".subscribe-email form")
    assert form["action"] == "https://mail.example.org/subscribe"
    assert form.select_one("input[name=email]") is not None
    assert form.select_one("input[name=list]")["value"] == "sovet-weekly"
    assert form.select_one("button[type=submit]").get_text() == "Подписаться"  # a verb
    menu = page("/subscribe/").select("header nav a")
    assert "Подписка" in [a.get_text() for a in menu]  # the menu's noun
    assert "Советы за неделю" in page("/subscribe/welcome/").get_text().replace("\u00a0", " ")
    assert (
        page("/subscribe/confirm/").find("meta", attrs={"name": "robots"})["content"] == "noindex"
    )


def test_assets_are_content_hashed(page: Page, sample_out: Path) -> None:
    css = page("/").find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"/static/style\.[0-9a-f]{10}\.css", css)
    assert (sample_out / css.lstrip("/")).is_file()


def test_sitemap_and_robots(sample_out: Path) -> None:
    sitemap = BeautifulSoup((sample_out / "sitemap.xml").read_text("utf-8"), "xml")
    locs = [loc.get_text() for loc in sitemap.find_all("loc")]
    assert "https://sovet.example.org/" in locs
    assert all(loc.startswith("https://sovet.example.org/") for loc in locs)
    assert "https://sovet.example.org/404.html" not in locs
    assert len(locs) == len(set(locs))
    robots = (sample_out / "robots.txt").read_text("utf-8")
    assert "Sitemap: https://sovet.example.org/sitemap.xml" in robots


def test_russian_dates_and_plurals(page: Page) -> None:
    text = page("/").get_text()
    assert re.search(
        r"\d{1,2}\u00a0(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря) 20\d\d",
        text,
    )
    assert not re.search(r"\b(1|21) комментари[ея]", text.replace("\u00a0", " "))
