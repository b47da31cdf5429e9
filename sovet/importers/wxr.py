"""WordPress's export (WXR 1.0-1.2, as Tools -> Export writes it), read as a stream.

Each `<item>` is handed on as soon as it is read and then forgotten, so a 200 MB export never
sits in memory. The reader is defusedxml's: an export that declares a DTD (where an entity
bomb or an external entity would hide) is refused, never expanded or fetched.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

CONTENT = "http://purl.org/rss/1.0/modules/content/"
WP = "http://wordpress.org/export/"  # followed by the WXR version


class ExportError(Exception):
    """The file is not a readable export; the message says where and why."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Comment:
    id: int
    author: str
    email: str  # kept for the inbox only, never in content/
    url: str
    date_gmt: str
    date: str
    content: str
    approved: str  # "1", "0" (pending), "spam", "trash"
    type: str  # "" or "comment"; "pingback", "trackback"
    parent: int
    user_id: int


@dataclass
class Item:
    """A post, a page or an attachment."""

    id: int
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    date: str
    date_gmt: str
    name: str  # wp:post_name, percent-encoded as WordPress keeps it
    status: str
    type: str
    password: str
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, slug, name
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Channel:
    title: str = ""
    link: str = ""  # the old site's address, with its path (https://old.example/blog)
    authors: dict[str, int] = field(default_factory=dict)  # login -> user id
    categories: dict[str, str] = field(default_factory=dict)  # nicename -> name


def read(path: Path) -> Iterator[Channel | Item]:
    """The channel (once, before the first item, and again at the end) and every item."""
    channel = Channel()
    told = False
    parents: list[ElementTree.Element] = []
    with reading_errors():
        for event, element in SafeTree.iterparse(
            str(path), events=("start", "end"), forbid_dtd=True
        ):
            if event == "start":
                parents.append(element)
                continue
            parents.pop()
            name = _local(element.tag)
            if name == "item":
                if not told:
                    yield channel
                    told = True
                yield _item(element)
                element.clear()
                if parents:
                    parents[-1].remove(element)  # forgotten: the next item takes its place
            elif _in_channel(parents) and name in ("title", "link", "base_blog_url"):
                if name != "title" or not channel.title:
                    _channel_text(channel, name, element.text or "")
            elif name == "author" and _is_wp(element.tag):
                login = _text(element, "author_login")
                channel.authors[login] = _number(_text(element, "author_id"))
            elif name == "category" and _is_wp(element.tag):
                channel.categories[_text(element, "category_nicename")] = _text(element, "cat_name")
    yield channel


@contextlib.contextmanager
def reading_errors() -> Iterator[None]:
    """What can go wrong reading an XML export, as one ExportError with the line."""
    try:
        yield
    except DefusedXmlException as refused:
        raise ExportError(1, f"refused: the file declares a DTD or entities ({refused})") from None
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else 1
        raise ExportError(line, f"not a readable export: {error.msg}") from None
    except OSError as error:
        raise ExportError(1, f"cannot read the file: {error.strerror or error}") from None


def _channel_text(channel: Channel, name: str, text: str) -> None:
    if name == "title":
        channel.title = text.strip()
    elif name == "base_blog_url" or not channel.link:
        channel.link = text.strip()


def _in_channel(parents: list[ElementTree.Element]) -> bool:
    return bool(parents) and _local(parents[-1].tag) == "channel"


def _item(element: ElementTree.Element) -> Item:
    item = Item(
        id=_number(_text(element, "post_id")),
        title=_text(element, "title", namespace=""),
        link=_text(element, "link", namespace=""),
        creator=_text(element, "creator", namespace=None),
        content=_text(element, "encoded", namespace=CONTENT),
        excerpt="",
        date=_text(element, "post_date"),
        date_gmt=_text(element, "post_date_gmt"),
        name=_text(element, "post_name"),
        status=_text(element, "status"),
        type=_text(element, "post_type"),
        password=_text(element, "post_password"),
    )
    for child in element:
        name = _local(child.tag)
        if name == "category" and not _is_wp(child.tag):
            item.categories.append(
                (child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip())
            )
        elif name == "comment" and _is_wp(child.tag):
            item.comments.append(_comment(child))
    return item


def _comment(element: ElementTree.Element) -> Comment:
    return Comment(
        id=_number(_text(element, "comment_id")),
        author=_text(element, "comment_author"),
        email=_text(element, "comment_author_email"),
        url=_text(element, "comment_author_url"),
        date_gmt=_text(element, "comment_date_gmt"),
        date=_text(element, "comment_date"),
        content=_text(element, "comment_content"),
        approved=_text(element, "comment_approved"),
        type=_text(element, "comment_type"),
        parent=_number(_text(element, "comment_parent")),
        user_id=_number(_text(element, "comment_user_id")),
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _is_wp(tag: str) -> bool:
    return tag.startswith("{" + WP)


_KEEP_SPACES = {"encoded", "comment_content"}  # texts whose spacing is their paragraphs


def _text(element: ElementTree.Element, name: str, namespace: str | None = WP) -> str:
    """The text of the first child named NAME: in WordPress's namespace (any WXR version),
    in NAMESPACE, in none (''), or in any (None)."""
    for child in element:
        tag = child.tag
        if _local(tag) != name:
            continue
        plain = not tag.startswith("{")
        if namespace is None or (plain if namespace == "" else tag.startswith("{" + namespace)):
            text = child.text or ""
            return text if name in _KEEP_SPACES else text.strip()
    return ""


def _number(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0
