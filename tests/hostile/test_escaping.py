"""The hostile column's output read back with real parsers: pages, feeds and letters carry
readers' strings as text only, in <title>, meta tags, attributes, feed titles and the email."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest

from tests.hostile.conftest import DISCUSSION, HostileSite
from tests.hostile.vectors import NAMES, VECTORS

LIVE_SCHEMES = ("javascript", "data", "vbscript")
NEVER = ("iframe", "object", "embed", "svg", "math", "base", "frame", "frameset", "applet")


def scheme(url: str) -> str:
    return urlsplit("".join(ch for ch in url if ch > " ").lower()).scheme


def assert_inert_document(root: lxml.html.HtmlElement, where: str) -> None:
    """No script but the theme's files, no event attribute, no live URL, no embedding tag."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        tag = element.tag.lower()
        assert tag not in NEVER, (where, tag)
        if tag == "script":
            src = element.get("src", "")
            assert src.startswith(("/static/", "/pagefind/")), (where, src)
            assert not (element.text or "").strip(), where
        if tag == "meta":
            assert element.get("http-equiv") is None, where
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, tag, name)
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "background"):
                assert scheme(value) not in LIVE_SCHEMES, (where, tag, value)


def by_class(root: lxml.html.HtmlElement, name: str) -> list[lxml.html.HtmlElement]:
    found: list[lxml.html.HtmlElement] = root.xpath(
        f'//*[contains(concat(" ", normalize-space(@class), " "), " {name} ")]'
    )
    return found


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_page_and_letter_is_inert(hostile: HostileSite) -> None:
    pages = html_pages(hostile.out)
    assert len(pages) > 20
    for path in pages:
        root = lxml.html.fromstring(path.read_bytes())
        assert_inert_document(root, str(path.relative_to(hostile.out)))


def test_the_discussion_shows_every_vector_and_nothing_runs(hostile: HostileSite) -> None:
    root = lxml.html.fromstring((hostile.out / "advice" / DISCUSSION / "index.html").read_bytes())
    bodies = by_class(root, "comment__text")
    assert len(bodies) == len(VECTORS)  # nothing lost: every comment is there
    authors = by_class(root, "comment__author")
    assert {a.text_content() for a in authors} <= {*NAMES, *(typeset(n) for n in NAMES)}
    reply_names = [a.get("data-reply-name") for a in by_class(root, "comment__reply")]
    assert len(reply_names) == len(VECTORS)
    assert any("<script>" in (name or "") for name in reply_names)  # text, not markup


def typeset(name: str) -> str:
    from sovet.typography import typeset_text

    return typeset_text(name, "ru")


@pytest.mark.parametrize("number", range(len(NAMES)))
def test_names_are_text_in_title_meta_and_attributes(hostile: HostileSite, number: int) -> None:
    name = typeset(NAMES[number])
    page = hostile.out / "advice" / f"name-{number}" / "index.html"
    root = lxml.html.fromstring(page.read_bytes())
    title = root.find(".//title")
    assert title is not None and len(title) == 0  # no element inside <title>
    assert title.text_content().startswith(name)
    metas = {(m.get("name") or m.get("property")): m.get("content") for m in root.iter("meta")}
    assert metas["description"] == name
    assert metas["og:title"] == name
    assert metas["twitter:title"] == name
    assert root.xpath("//h1")[0].text_content() == name
    assert by_class(root, "comment__author")[0].text_content() == name
    alternates = [link.get("title") for link in root.iter("link") if link.get("rel") == "alternate"]
    assert any(name in (t or "") for t in alternates)


def feed_elements(out: Path) -> list[tuple[str, str, lxml.etree._Element]]:
    """Every element of every feed: (feed path, local name, element); all must parse as XML."""
    found = []
    for path in sorted(out.rglob("*.xml")):
        tree = lxml.etree.fromstring(path.read_bytes())  # raises if not well-formed
        for element in tree.iter():
            if isinstance(element.tag, str):
                local = lxml.etree.QName(element).localname
                found.append((str(path.relative_to(out)), local, element))
    return found


def test_feeds_are_well_formed_and_carry_names_as_text(hostile: HostileSite) -> None:
    names = {typeset(n) for n in NAMES}
    seen: set[str] = set()
    for where, local, element in feed_elements(hostile.out):
        if local in ("title", "name", "creator", "category"):
            assert len(element) == 0, where  # text, no markup inside
            seen.update(n for n in names if n in (element.text or "") + element.get("term", ""))
        html_content = local == "encoded" or (local == "content" and element.get("type") == "html")
        if html_content and element.text:
            assert_inert_document(lxml.html.fromstring(f"<div>{element.text}</div>"), where)
    assert seen == names


def test_rss_descriptions_are_escaped_text(hostile: HostileSite) -> None:
    for where, local, element in feed_elements(hostile.out):
        if local == "description" and element.text:
            assert_inert_document(lxml.html.fromstring(f"<div>{element.text}</div>"), where)


def test_the_weekly_letter_carries_names_as_text(hostile: HostileSite) -> None:
    letters = sorted(hostile.out.glob("weekly/*/email.html"))
    assert letters
    names = {typeset(n) for n in NAMES}
    found: set[str] = set()
    for letter in letters:
        root = lxml.html.fromstring(letter.read_bytes())
        assert_inert_document(root, str(letter))
        text = root.text_content()
        found.update(n for n in names if n in text)
        plain = letter.with_name("email.txt").read_text("utf-8")
        assert all(n in plain for n in names if n in text)
    assert found == names
