"""`sovet import wordpress EXPORT.xml`: a WordPress column as advice folders, discussions
threaded, old addresses kept as aliases.

The export is read twice, as a stream: first to check the whole file and learn every post's
new address (so links between posts and every old address can be pointed at the new ones;
a broken export stops here, before anything is written), then to write each post as it
comes. Published posts become advices, drafts and pending ones drafts, future ones scheduled
advices; private and trashed posts are skipped; WordPress pages become pages. Approved
comments become comment files, pending ones wait in the inbox, spam, trash, pingbacks and
trackbacks are counted and left out. Commenters' addresses never reach content/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from .. import urls
from ..inbox import spam
from ..inbox.store import PENDING, Inbox
from ..inbox.submission import Incoming, Submission
from ..inbox.text import clean_body, clean_name
from ..settings import NAME_RE, Settings
from . import markup, wxr
from .report import Report
from .writer import Writer

SKIPPED_STATUSES = {"private": "private", "trash": "trashed", "auto-draft": "auto-draft"}
DRAFT_STATUSES = {"draft", "pending"}
UNCATEGORIZED = {"uncategorized", "без-рубрики", "bez-rubriki"}
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")


@dataclass(frozen=True)
class Options:
    answer_starts: re.Pattern[str] | None = None
    uploads: Path | None = None  # a local copy of wp-content/uploads
    dry_run: bool = False


@dataclass
class Places:
    """What the first reading learnt: each post's folder or page name and new address, and
    every old address of it."""

    old_base: str = "/"  # the path the old site lived under: '/blog/'
    old_host: str = ""
    slugs: dict[int, str] = field(default_factory=dict)  # post id -> advice slug or page name
    new_urls: dict[str, str] = field(default_factory=dict)  # old path (and query) -> new url
    aliases: dict[int, list[str]] = field(default_factory=dict)


def import_wordpress(settings: Settings, export: Path, options: Options) -> Report:
    places, channel = _places(settings, export)
    report = Report(export.name, dry_run=options.dry_run)
    writer = Writer(settings.root, options.dry_run)
    post = _PostWriter(settings, export, options, places, channel, writer, report)
    for found in wxr.read(export):
        if isinstance(found, wxr.Item):
            post.item(found)
    writer.close()
    report.rubrics = writer.add_rubrics(post.rubrics) if post.rubrics else []
    report.files = writer.counts
    report.kept = writer.kept
    report.planned = writer.planned
    return report


def _places(settings: Settings, export: Path) -> tuple[Places, wxr.Channel]:
    """The first reading: the whole file checked, every post given its new address."""
    places, channel = Places(), wxr.Channel()
    taken: dict[str, set[str]] = {"post": set(), "page": set()}
    items: list[wxr.Item] = []
    for found in wxr.read(export):
        if isinstance(found, wxr.Channel):
            channel = found
            old = urlsplit(channel.link)
            places.old_host = old.netloc.lower()
            places.old_base = (old.path.rstrip("/") + "/") if old.path else "/"
        elif found.type in ("post", "page") and found.status not in SKIPPED_STATUSES:
            items.append(wxr.Item(**{**found.__dict__, "content": "", "comments": []}))
    for item in items:
        name = _name(item, taken[item.type], settings)
        places.slugs[item.id] = name
        new = urls.advice(settings.permalink, name, _local(item, settings).date())
        new = new if item.type == "post" else urls.page(name)
        addresses = _old_addresses(item, places)
        places.aliases[item.id] = [a for a in addresses if a.partition("?")[0] != new and a != "/"]
        for address in addresses:
            places.new_urls.setdefault(address, new)
    return places, channel


def _name(item: wxr.Item, taken: set[str], settings: Settings) -> str:
    """The folder (or page) name: the post's own slug, its Cyrillic decoded and written in
    Latin the way sovet makes slugs, `-2` on a clash."""
    stem = urls.slug(unquote(item.name)) or urls.slug(item.title) or f"post-{item.id}"
    if item.type == "page" and (stem in urls.RESERVED or stem == "advice"):
        stem += "-page"
    name, number = stem, 1
    while name in taken or _belongs_elsewhere(settings, item, name):
        number += 1
        name = f"{stem}-{number}"
    taken.add(name)
    return name


def _belongs_elsewhere(settings: Settings, item: wxr.Item, name: str) -> bool:
    """A folder of that name the editors made themselves (not from this post)."""
    if item.type == "page":
        page = settings.content_dir / "pages" / f"{name}.md"
        return page.exists() and f'?p={item.id}"' not in page.read_text("utf-8", "replace")
    question = settings.content_dir / "advice" / name / "question.md"
    if not (settings.content_dir / "advice" / name).exists():
        return False
    marker = f'?p={item.id}"'  # the post's own alias: this folder came from it
    return not question.is_file() or marker not in question.read_text("utf-8", "replace")


def _old_addresses(item: wxr.Item, places: Places) -> list[str]:
    """Every old address of a post: its permalink, `?p=ID`, and its name under the old base."""
    found = []
    link = urlsplit(item.link)
    if link.path:
        found.append(_address(link.path, link.query))
    found.append(f"{places.old_base}?p={item.id}")
    if item.type == "page":
        found.append(f"{places.old_base}?page_id={item.id}")
    if item.name:
        found.append(_address(f"{places.old_base}{item.name}/", ""))
    return list(dict.fromkeys(found))


def _address(path: str, query: str) -> str:
    """A path as a browser asks for it: non-ASCII percent-encoded, hex in capitals."""
    path = _PERCENT.sub(lambda m: m.group().upper(), quote(path, safe="/%:@!$&'()*+,;=-._~"))
    return f"{path}?{query}" if query else path


def _local(item: wxr.Item, settings: Settings) -> dt.datetime:
    """The post's moment in the site's time zone (its GMT date; its local one for a draft
    WordPress gave no GMT date; now, when it has neither)."""
    zone = settings.zone
    for text, given in ((item.date_gmt, dt.UTC), (item.date, zone)):
        try:
            return dt.datetime.fromisoformat(text).replace(tzinfo=given).astimezone(zone)
        except ValueError:
            continue
    return dt.datetime.now(zone).replace(second=0, microsecond=0)


class _PostWriter:
    """The second reading: each post written as it comes."""

    def __init__(
        self,
        settings: Settings,
        export: Path,
        options: Options,
        places: Places,
        channel: wxr.Channel,
        writer: Writer,
        report: Report,
    ) -> None:
        self.settings, self.export, self.options = settings, export, options
        self.places, self.channel, self.writer, self.report = places, channel, writer, report
        self.rubrics: dict[str, str] = {}
        self.known_rubrics = {r.key for r in settings.rubrics}
        self.inbox = Inbox(settings)

    def item(self, item: wxr.Item) -> None:
        if item.type not in ("post", "page"):
            return
        if item.status in SKIPPED_STATUSES:
            self.report.skip(f"{SKIPPED_STATUSES[item.status]} {item.type}s")
            return
        if item.type == "page":
            self._page(item)
        else:
            self._post(item)

    def _relink(self, href: str) -> str:
        """An old site's link pointed at the new address; an upload copied with --uploads."""
        parts = urlsplit(href)
        if parts.netloc and parts.netloc.lower() != self.places.old_host:
            return href
        if not parts.netloc and not parts.path.startswith("/"):
            return href
        key = _address(parts.path, parts.query)
        if key in self.places.new_urls:
            return self.places.new_urls[key] + (f"#{parts.fragment}" if parts.fragment else "")
        uploaded = re.search(r"/wp-content/uploads/(.+)$", unquote(parts.path))
        if uploaded and self.options.uploads is not None:
            return self._upload(uploaded.group(1), href)
        return href

    def _upload(self, relative: str, href: str) -> str:
        source = self.options.uploads / relative if self.options.uploads else None
        if source is None or ".." in PurePosixPath(relative).parts or not source.is_file():
            self.report.missing_uploads.append(relative)
            return href
        target = PurePosixPath("static/wp-content/uploads") / relative
        if self.writer.write(target, source.read_bytes()) == "written":
            self.report.uploads += 1
        return f"/wp-content/uploads/{relative}"

    def _post(self, item: wxr.Item) -> None:
        slug = self.places.slugs[item.id]
        when = _local(item, self.settings)
        parts = markup.post(item.content, self.options.answer_starts, self._relink)
        letter, asker = markup.signature(parts.letter)
        draft = item.status in DRAFT_STATUSES or bool(item.password) or not parts.found
        if item.password:
            self.report.review(slug, "was protected by a password: imported as a draft")
        if not parts.found:
            self.report.review(slug, "letter and answer not told apart: the whole is the answer")
        if parts.shortcodes:
            self.report.review(slug, f"shortcodes left as text: {', '.join(parts.shortcodes)}")
        question = _front(
            {
                "title": item.title or slug,
                "author": asker or self._reader(),
                "tags": [name for domain, _, name in item.categories if domain == "post_tag"],
                "rubric": self._rubric(item),
                "aliases": self.places.aliases[item.id],
            }
        )
        answer = _front({"date": f"{when:%Y-%m-%d %H:%M}", "draft": True if draft else None})
        folder = PurePosixPath("advice", slug)
        self._content(folder / "question.md", question, letter)
        self._content(folder / "answer.md", answer, parts.answer)
        self.report.count("advices" if not draft else "drafts")
        if item.status == "future" or when > dt.datetime.now(self.settings.zone):
            self.report.count("scheduled")
        self._comments(item, slug)

    def _page(self, item: wxr.Item) -> None:
        name = self.places.slugs[item.id]
        ready, shortcodes = markup.prepared(item.content, self._relink)
        if shortcodes:
            self.report.review(f"pages/{name}", f"shortcodes left as text: {', '.join(shortcodes)}")
        front = _front(
            {
                "title": item.title or name,
                "aliases": self.places.aliases[item.id],
                "draft": True if item.status in DRAFT_STATUSES or item.password else None,
            }
        )
        self._content(PurePosixPath("pages", f"{name}.md"), front, markup.to_markdown(ready))
        self.report.count("pages")

    def _content(self, relative: PurePosixPath, front: str, body: str) -> None:
        text = f"---\n{front}---\n{body.strip()}\n" if body.strip() else f"---\n{front}---\n"
        self.writer.write(relative, text.encode(), inside=self.settings.content_dir)

    def _reader(self) -> str:
        return "Читатель" if self.settings.language == "ru" else "A reader"

    def _rubric(self, item: wxr.Item) -> str | None:
        """The post's first real category as a rubric (added to site.toml when new)."""
        for domain, nicename, name in item.categories:
            key = urls.slug(unquote(nicename) or name).replace("-", "_")
            if domain != "category" or key.replace("_", "-") in UNCATEGORIZED or not key:
                continue
            if not NAME_RE.match(key):
                continue
            if key not in self.known_rubrics:
                self.rubrics.setdefault(key, name)
            return key
        return None

    def _comments(self, item: wxr.Item, slug: str) -> None:
        """Approved comments as files, threaded; pending ones to the inbox."""
        by_id = {c.id: c for c in item.comments}
        kept = {c.id for c in item.comments if _kind(c) == "approved"}
        names = {c.id: f"{urls.slug(c.author, 30) or 'comment'}-{c.id}" for c in item.comments}
        columnist = self.channel.authors.get(item.creator, 0)
        folder = PurePosixPath("advice", slug, "comments")
        for comment in item.comments:
            kind = _kind(comment)
            if kind not in ("approved", "pending"):
                self.report.skip(kind)
                continue
            parent = _kept_ancestor(comment.parent, by_id, kept)
            body = clean_body(markup.text_to_markdown(comment.content))
            if not body:
                self.report.skip("empty comments")
                continue
            when = _local_comment(comment, self.settings)
            if kind == "pending":
                self._pending(comment, slug, names.get(parent, "") if parent else "", body, when)
                continue
            front = _front(
                {
                    "author": clean_name(comment.author) or self._anonymous(),
                    "date": f"{when:%Y-%m-%d %H:%M}",
                    "reply_to": names[parent] if parent else None,
                    "role": "columnist" if columnist and comment.user_id == columnist else "reader",
                    "aliases": [f"#comment-{comment.id}"],
                }
            )
            self._content(folder / f"{names[comment.id]}.md", front, body)
            self.report.count("comments")
            if parent:
                self.report.count("replies")

    def _anonymous(self) -> str:
        return "Аноним" if self.settings.language == "ru" else "Anonymous"

    def _pending(
        self, comment: wxr.Comment, slug: str, reply_to: str, body: str, when: dt.datetime
    ) -> None:
        """A comment WordPress held for moderation: to the inbox, with its spam flags."""
        submission = Submission(
            slug=slug,
            author=clean_name(comment.author),
            email=clean_name(comment.email),
            date=when,
            body=body,
            source=f"wordpress: {self.export.name}, comment {comment.id}",
            reply_to=reply_to,
        )
        if self.inbox.state_of(submission.id) is not None:
            self.report.count("held for moderation, in the inbox already")
            return
        flags = spam.flags(
            Incoming(submission), self.settings.inbox["max_links"], (), self.settings.zone
        )
        if not self.options.dry_run:
            self.inbox.write(Submission(**{**submission.__dict__, "flags": flags}), PENDING)
        self.report.count("held for moderation, to the inbox")


def _kind(comment: wxr.Comment) -> str:
    if comment.type in ("pingback", "trackback"):
        return f"{comment.type}s"
    return {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash"}.get(
        comment.approved, "unknown state"
    )


def _kept_ancestor(parent: int, by_id: dict[int, wxr.Comment], kept: set[int]) -> int:
    """The nearest ancestor that is published: a reply to a held comment hangs on it."""
    seen: set[int] = set()
    while parent and parent not in kept and parent in by_id and parent not in seen:
        seen.add(parent)
        parent = by_id[parent].parent
    return parent if parent in kept else 0


def _local_comment(comment: wxr.Comment, settings: Settings) -> dt.datetime:
    holder = wxr.Item(0, "", "", "", "", "", comment.date, comment.date_gmt, "", "", "", "")
    return _local(holder, settings)


def _front(values: dict[str, object]) -> str:
    """Front matter lines, values written so YAML reads back exactly them (JSON strings are
    YAML strings); keys with no value left out."""
    lines = []
    for key, value in values.items():
        if value is None or value == []:
            continue
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(json.dumps(v, ensure_ascii=False) for v in value)}]")
        elif key == "date":
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {json.dumps(str(value), ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
