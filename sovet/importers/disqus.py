"""`sovet import disqus EXPORT.xml`: a column's discussions back from Disqus, as comment files.

Disqus's export lists threads (each with the address of its page) and then posts (each with
its thread and the post it answers). A thread is matched to an advice by that address: the
advice's own, or one of its `aliases` (which `import wordpress` fills with the old ones).
Deleted posts and spam stay out; a reply to one hangs on its nearest kept ancestor. Read
twice as a stream, like WordPress's export: a broken file stops before anything is written.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import defusedxml.ElementTree as SafeTree

from .. import urls
from ..content import schema
from ..content.frontmatter import split
from ..inbox.text import clean_body, clean_name
from ..problems import Problems
from ..settings import Settings
from . import markup
from .report import Report
from .wordpress import _address, _front
from .writer import Writer
from .wxr import reading_errors

DSQ = "{http://disqus.com/disqus-internals}id"


@dataclass(frozen=True)
class Post:
    id: str
    thread: str
    parent: str
    author: str
    username: str
    message: str
    created: str
    deleted: bool
    spam: bool


@dataclass(frozen=True)
class Thread:
    id: str
    link: str
    ident: str  # what the site called it: WordPress's plugin writes "123 https://…/?p=123"
    author: str  # the site's own account, whose posts are the columnist's


def import_disqus(settings: Settings, export: Path, dry_run: bool) -> Report:
    threads: dict[str, Thread] = {}
    posts: dict[str, tuple[str, bool]] = {}  # id -> (parent, kept)
    names: dict[str, str] = {}  # id -> its comment file's name
    for found in _read(export):  # first: the whole file checked, the threads learnt
        if isinstance(found, Thread):
            threads[found.id] = found
        else:
            posts[found.id] = (found.parent, not (found.deleted or found.spam))
            names[found.id] = f"{urls.slug(found.author, 30) or 'comment'}-d{found.id}"
    advices = addresses(settings)
    report = Report(export.name, dry_run=dry_run)
    writer = Writer(settings.root, dry_run)
    unmatched: set[str] = set()
    for found in _read(export):
        if not isinstance(found, Post):
            continue
        if found.deleted or found.spam:
            report.skip("deleted" if found.deleted else "spam")
            continue
        thread = threads.get(found.thread)
        slug = _advice(thread, advices) if thread else None
        if slug is None:
            report.skip("comments on pages with no advice")
            unmatched.add(thread.link if thread else found.thread)
            continue
        body = clean_body(markup.to_markdown(markup.prepared(found.message)[0]))
        if not body:
            report.skip("empty comments")
            continue
        parent = _kept_ancestor(found.parent, posts)
        columnist = bool(thread and found.username and found.username == thread.author)
        front = _front(
            {
                "author": clean_name(found.author) or _anonymous(settings),
                "date": f"{_moment(found.created, settings):%Y-%m-%d %H:%M}",
                "reply_to": names[parent] if parent else None,
                "role": "columnist" if columnist else "reader",
                "aliases": [f"#comment-{found.id}"],
            }
        )
        relative = PurePosixPath("advice", slug, "comments", f"{names[found.id]}.md")
        writer.write(relative, f"---\n{front}---\n{body}\n".encode(), settings.content_dir)
        report.count("comments")
        if parent:
            report.count("replies")
    writer.close()
    for link in sorted(unmatched):
        report.review(link, "no advice has this address among its own or its aliases")
    report.files, report.kept, report.planned = writer.counts, writer.kept, writer.planned
    return report


def addresses(settings: Settings) -> dict[str, str]:
    """Every address an advice answers to (its own, and its aliases), as a path: its slug."""
    found: dict[str, str] = {}
    folder = settings.content_dir / "advice"
    if not folder.is_dir():
        return found
    for question in sorted(folder.glob("*/question.md")):
        slug = question.parent.name
        doc = split(question, question.name, Problems())
        if doc is None:
            continue
        values, _ = schema.check(doc, {"aliases": schema.Field(schema.Kind.ALIASES)}, Problems())
        for alias in values.get("aliases", ()):
            found.setdefault(alias, slug)
        found.setdefault(f"/advice/{slug}/", slug)
    return found


def _advice(thread: Thread, advices: dict[str, str]) -> str | None:
    link = urlsplit(thread.link)
    path = _address(link.path or "/", link.query)
    for candidate in (path, path.rstrip("/") + "/", path.rstrip("/")):
        if candidate in advices:
            return advices[candidate]
    number = thread.ident.split(" ", 1)[0]
    if number.isdigit():  # WordPress's plugin: the post's id
        return next((s for a, s in advices.items() if a.endswith(f"?p={number}")), None)
    return None


def _kept_ancestor(parent: str, posts: dict[str, tuple[str, bool]]) -> str:
    seen: set[str] = set()
    while parent and parent in posts and not posts[parent][1] and parent not in seen:
        seen.add(parent)
        parent = posts[parent][0]
    return parent if parent in posts and posts[parent][1] else ""


def _moment(text: str, settings: Settings) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.now(settings.zone)
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(settings.zone)


def _anonymous(settings: Settings) -> str:
    return "Аноним" if settings.language == "ru" else "Anonymous"


def _read(export: Path) -> Iterator[Thread | Post]:
    with reading_errors():
        for _, element in SafeTree.iterparse(str(export), events=("end",), forbid_dtd=True):
            name = element.tag.rsplit("}", 1)[-1]
            if name == "thread" and element.get(DSQ) and len(element):
                yield Thread(
                    id=element.get(DSQ, ""),
                    link=_child(element, "link"),
                    ident=_child(element, "id"),
                    author=_child(element, "author", "username"),
                )
                element.clear()
            elif name == "post":
                post = Post(
                    id=element.get(DSQ, ""),
                    thread=_attribute(element, "thread"),
                    parent=_attribute(element, "parent"),
                    author=_child(element, "author", "name"),
                    username=_child(element, "author", "username"),
                    message=_child(element, "message", keep=True),
                    created=_child(element, "createdAt"),
                    deleted=_child(element, "isDeleted") == "true",
                    spam=_child(element, "isSpam") == "true",
                )
                yield post
                element.clear()


def _child(element: ElementTree.Element, *path: str, keep: bool = False) -> str:
    for name in path:
        found = next((c for c in element if c.tag.rsplit("}", 1)[-1] == name), None)
        if found is None:
            return ""
        element = found
    text = element.text or ""
    return text if keep else text.strip()


def _attribute(element: ElementTree.Element, name: str) -> str:
    found = next((c for c in element if c.tag.rsplit("}", 1)[-1] == name), None)
    return found.get(DSQ, "") if found is not None else ""
