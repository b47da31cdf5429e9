"""The column as plain, immutable data. Computed once by assemble.py; templates only show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from .bodies import Body
from .settings import RubricSettings, Settings


@dataclass(frozen=True)
class When:
    """A moment in the site's time zone, and whether the content gave a time of day."""

    at: dt.datetime
    has_time: bool

    @property
    def date(self) -> dt.date:
        return self.at.date()


@dataclass(frozen=True)
class Comment:
    """A published comment; ``children`` are its visible replies, already threaded."""

    id: str
    author: str
    when: When
    body: Body
    parent_id: str | None
    depth: int
    is_asker: bool
    is_columnist: bool
    children: tuple[Comment, ...]
    source: str
    anchors: tuple[str, ...] = ()  # its old anchors (comment-123): a link to one still lands here

    @property
    def html(self) -> str:
        return self.body.html

    @property
    def text(self) -> str:
        return self.body.text

    def walk(self) -> list[Comment]:
        """This comment and all its replies, in reading order (no recursion: a thread may be
        thousands of replies deep)."""
        return in_reading_order((self,))


def reading(threads: tuple[Comment, ...]) -> list[tuple[Comment, int]]:
    """Every comment of THREADS in reading order, each with how many reply lists end right
    after it (after a comment without replies: the lists of the threads it closes). A page
    closes its nested lists from this, without recursing into a thread."""
    found: list[tuple[Comment, int]] = []
    stack = [(comment, 0) for comment in reversed(threads)]
    while stack:
        comment, after = stack.pop()
        replies = comment.children
        found.append((comment, 0 if replies else after))
        last = len(replies) - 1
        stack.extend(
            (reply, after + 1 if index == last else 0)
            for index, reply in reversed(list(enumerate(replies)))
        )
    return found


def in_reading_order(threads: tuple[Comment, ...]) -> list[Comment]:
    """Every comment of THREADS in reading order: `reading` without what it counts, for the
    many callers that need only the comments."""
    found: list[Comment] = []
    stack = list(reversed(threads))
    while stack:
        comment = stack.pop()
        found.append(comment)
        if comment.children:
            stack.extend(reversed(comment.children))
    return found


def comment_order(comment: Comment) -> tuple[dt.datetime, str]:
    """Comments by time; at the same minute, by id."""
    return comment.when.at, comment.id


@dataclass(frozen=True)
class TagLink:
    name: str
    slug: str
    url: str


@dataclass(frozen=True)
class Card:
    """What a list shows of an advice. Lists compare cards, so editing a comment's words
    re-renders the advice page, not every list the advice appears in."""

    url: str
    title: str
    when: When
    description: str
    rubric: RubricSettings | None
    comment_count: int
    draft: bool
    scheduled: bool
    # Its advice's digest: everything above follows from it (and the settings), so the
    # render cache's fingerprint takes a card by it instead of walking its fields.
    digest: bytes = field(default=b"", compare=False, repr=False)


@dataclass(frozen=True)
class Advice:
    """One advice: the reader's letter, the columnist's answer and the discussion."""

    digest: bytes  # of its files: equal digests, equal advice (within one settings)
    slug: str
    url: str
    title: str
    author: str
    asked: dt.date | None
    when: When
    updated: When | None
    description: str
    question: Body
    answer: Body
    answer_author: str
    rubric: RubricSettings | None
    tags: tuple[TagLink, ...]
    related_slugs: tuple[str, ...]
    threads: tuple[Comment, ...]
    comment_count: int
    last_comment: When | None
    draft: bool
    scheduled: bool
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # old addresses that redirect here

    @property
    def question_html(self) -> str:
        return self.question.html

    @property
    def question_text(self) -> str:
        return self.question.text

    @property
    def answer_html(self) -> str:
        return self.answer.html

    @property
    def answer_text(self) -> str:
        return self.answer.text

    @cached_property
    def card(self) -> Card:
        return Card(
            self.url,
            self.title,
            self.when,
            self.description,
            self.rubric,
            self.comment_count,
            self.draft,
            self.scheduled,
            self.digest,
        )

    @cached_property
    def lastmod(self) -> dt.date:
        """The newest change its page shows: the answer, a correction or the last comment."""
        moments = [self.when.at, *(w.at for w in (self.updated, self.last_comment) if w)]
        return max(moments).date()

    @cached_property
    def week(self) -> tuple[int, int]:
        iso = self.when.date.isocalendar()
        return iso.year, iso.week

    @cached_property
    def newest_comments(self) -> tuple[Comment, ...]:
        """Every visible comment, the newest first (what comment feeds show)."""
        return tuple(sorted(self.comments(), key=comment_order, reverse=True))

    def comments(self) -> list[Comment]:
        """Every visible comment in reading order."""
        return in_reading_order(self.threads)

    def reading(self) -> list[tuple[Comment, int]]:
        """The comments in reading order, with the reply lists each one ends (see reading)."""
        return reading(self.threads)


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    url: str
    advices: tuple[Advice, ...]

    @property
    def link(self) -> Topic:
        return Topic(self.slug, self.name, self.url, len(self.advices))


@dataclass(frozen=True)
class Topic:
    """A tag or a rubric as lists of topics show it."""

    key: str
    title: str
    url: str
    count: int
    about: str = ""


@dataclass(frozen=True)
class Rubric:
    settings: RubricSettings
    url: str
    advices: tuple[Advice, ...]

    @property
    def key(self) -> str:
        return self.settings.key

    @property
    def title(self) -> str:
        return self.settings.title

    @property
    def link(self) -> Topic:
        return Topic(self.key, self.title, self.url, len(self.advices), self.settings.about)


@dataclass(frozen=True)
class Week:
    """One ISO week of the archive, Monday to Sunday."""

    year: int
    number: int
    url: str
    advices: tuple[Advice, ...]

    @property
    def monday(self) -> dt.date:
        return self.link.monday

    @property
    def sunday(self) -> dt.date:
        return self.link.sunday

    @property
    def link(self) -> WeekLink:
        return WeekLink(self.year, self.number, self.url)


@dataclass(frozen=True)
class WeekLink:
    """A week as links and headings show it."""

    year: int
    number: int
    url: str

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 7)


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    title: str
    description: str
    html: str
    menu: int | None
    source: str
    links: tuple[str, ...] = ()  # every link of its body, for the link check
    link_lines: tuple[int, ...] = ()  # the line of its file each one is written on
    aliases: tuple[str, ...] = ()  # old addresses that redirect here


@dataclass(frozen=True)
class Site:
    """Everything a build renders, newest advice first."""

    settings: Settings
    advices: tuple[Advice, ...]
    pages: tuple[Page, ...]
    tags: tuple[Tag, ...]
    rubrics: tuple[Rubric, ...]
    weeks: tuple[Week, ...]
    recently_discussed: tuple[Advice, ...]
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slug -> slugs
    next_scheduled: dt.datetime | None = None  # the site changes by itself then

    @property
    def menu(self) -> tuple[Page, ...]:
        shown = [page for page in self.pages if page.menu is not None]
        return tuple(sorted(shown, key=lambda page: (page.menu or 0, page.title)))

    def comment_total(self) -> int:
        return sum(advice.comment_count for advice in self.advices)
