"""Content files + settings -> the Site model: checking across files, then computing once.

Threading, drafts and scheduling, tags, rubrics, weeks, related advices and "recently
discussed" are decided here, so templates only show data and tests reach it directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from . import urls
from .bodies import Body, InMemory, Keeper
from .content import schema
from .content.frontmatter import Document
from .content.loader import AdviceFiles, ContentFiles
from .markdown import Rendered, render_editor, render_reader, summary, under_base
from .model import Advice, Page, Rubric, Site, Tag, TagLink, Week, When
from .problems import Problems, did_you_mean
from .settings import RubricSettings, Settings
from .threads import RawComment, thread
from .typography import typeset_text

RELATED_COUNT = 3
_UNRENDERED = Rendered("", "")  # the body of a comment on an advice that is not built
_EMPTY_QUESTION = "the reader's letter is empty: write it under the front matter"
_EMPTY_ANSWER = "the answer is empty: write it, or add 'draft: true' until it is written"
_EMPTY_COMMENT = "the comment is empty: write the reader's words, or delete the file"
_EMPTY_PAGE = "the page is empty: write it, or add 'draft: true' until it is written"


@dataclass(frozen=True)
class Options:
    """What a build includes: drafts, scheduled advices, and the clock it compares with."""

    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None
    jobs: int = 1  # processes for rendering bodies and pages


@dataclass(frozen=True)
class _Cached:
    """An advice built without problems, with what the cross-file checks need of it."""

    advice: Advice
    related: tuple[str, int, list[str]] | None
    tags: tuple[str, int] | None
    bodies: tuple[tuple[bytes, bool], ...] = ()  # its bodies' keys: kept while it is


@dataclass
class AssembleCache:
    """Advices kept between builds in one process (serve), keyed by their files' digest.

    Valid only for the same settings and options; anything else empties it. New bodies go
    to `keeper`: a build keeps them in files, serve in memory.
    """

    key: tuple[Settings, bool, bool] | None = None
    advices: dict[bytes, _Cached] = field(default_factory=dict)
    bodies: dict[tuple[bytes, bool], Body] = field(default_factory=dict)  # by file digest
    keeper: Keeper = field(default_factory=InMemory)
    related_key: tuple[object, ...] = ()
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lists: _Lists | None = None

    def checked(self, settings: Settings, options: Options) -> AssembleCache:
        key = (settings, options.drafts, options.future)
        if key != self.key:
            if self.key is not None and _body_key(self.key[0]) != _body_key(settings):
                self.bodies = {}
            self.key, self.advices, self.lists = key, {}, None
        return self


def body_renderer(
    settings: Settings, cache: AssembleCache
) -> Callable[[AdviceFiles], dict[tuple[bytes, bool], Body]]:
    """What the loader runs right after reading each advice folder, on the same process: the
    folder's bodies not rendered before. Most of a cold build is Markdown, bodies do not
    depend on each other, and so reading and rendering share the processes."""
    language, typography = settings.language, settings.typography
    keep = cache.keeper.keep

    def render(files: AdviceFiles) -> dict[tuple[bytes, bool], Body]:
        made = {}
        for doc, reader in _bodies_of(files):
            if (doc.digest, reader) not in cache.bodies:
                render = render_reader if reader else render_editor
                made[(doc.digest, reader)] = keep(
                    render(doc.body or "", language, typography, doc.body_line)
                )
        files.drop_bodies()
        return made

    return render


def _bodies_of(files: AdviceFiles) -> list[tuple[Document, bool]]:
    """An advice folder's Markdown documents, each with whether a reader wrote it."""
    docs = [(doc, False) for doc in (files.question, files.answer) if doc is not None]
    return docs + [(doc, True) for _, doc in files.comments]


def _body_key(settings: Settings) -> tuple[str, bool]:
    """What a rendered body depends on besides its file."""
    return settings.language, settings.typography


class Assembly:
    """The site being assembled: each advice folder is checked and modelled as soon as it is
    read (`add`, in folder order, while the loader's processes read the next folders), then
    `site` runs the checks across files and computes the lists once. Every mistake found on
    the way is added to problems."""

    def __init__(
        self,
        settings: Settings,
        options: Options,
        problems: Problems,
        cache: AssembleCache | None = None,
    ) -> None:
        self.cache = (cache or AssembleCache()).checked(settings, options)
        self.settings = _typeset_settings(settings)
        now = options.now or dt.datetime.now(settings.zone)
        now = now.replace(tzinfo=settings.zone) if now.tzinfo is None else now
        self.problems = problems
        self.builder = _Builder(self.settings, options, now, problems, self.cache)
        self.loaded: list[Advice] = []

    def add(self, files: AdviceFiles, made: dict[tuple[bytes, bool], Body] | None) -> None:
        """One advice folder, with the bodies `body_renderer` made of it (None: none)."""
        if made:
            self.builder.rendered.update(made)
        advice = self.builder.cached_advice(files)
        if advice is not None:
            self.loaded.append(advice)

    def site(self, files: ContentFiles) -> Site:
        """The whole site, once every advice folder of FILES was added."""
        settings, builder, cache, problems = self.settings, self.builder, self.cache, self.problems
        loaded = tuple(self.loaded)
        pages = [p for name, doc in files.pages if (p := builder.page(name, doc)) is not None]
        cache.advices = {key: cache.advices[key] for key in builder.used}
        cache.bodies = {
            key: cache.bodies[key] for key in builder.used_bodies if key in cache.bodies
        }
        places = tuple((p.url, p.source, p.aliases) for p in pages)
        kept = cache.lists
        if kept is not None and kept.fits(loaded, places):
            lists = cache.lists = kept.swapped(loaded)
        else:
            before = len(problems)
            lists = _lists(loaded, pages, places, settings, builder, problems)
            cache.lists = lists if len(problems) == before else None
        _check_tag_names(builder, problems)
        known = {f.slug for f in files.advices}
        for slug, (source, line, related) in builder.related.items():
            _check_related(slug, source, line, related, known, problems)
        return Site(
            settings=settings,
            advices=lists.advices,
            pages=tuple(sorted(pages, key=lambda p: p.name)),
            tags=lists.tags,
            rubrics=lists.rubrics,
            weeks=lists.weeks,
            recently_discussed=lists.recently_discussed,
            related=_related(lists.advices, cache),
            next_scheduled=builder.next_scheduled,
        )


G = TypeVar("G", Tag, Rubric, Week)


@dataclass(frozen=True)
class _Lists:
    """The advices as the site orders and groups them. Kept between builds in one process
    (when made without problems): while no advice's place changes (an edited comment, answer
    or title), a rebuild puts the changed advices in place of their old versions instead of
    sorting, grouping and checking every advice again."""

    loaded: tuple[Advice, ...]  # in folder order
    pages: tuple[tuple[str, str, tuple[str, ...]], ...]  # address, file, aliases: the checks
    advices: tuple[Advice, ...]  # newest first
    tags: tuple[Tag, ...]
    rubrics: tuple[Rubric, ...]
    weeks: tuple[Week, ...]
    recently_discussed: tuple[Advice, ...]

    def fits(
        self, loaded: tuple[Advice, ...], pages: tuple[tuple[str, str, tuple[str, ...]], ...]
    ) -> bool:
        """The same advices and pages in the same places: only their contents changed."""
        return (
            pages == self.pages
            and len(loaded) == len(self.loaded)
            and all(
                new is old or _place(new) == _place(old)
                for new, old in zip(loaded, self.loaded, strict=True)
            )
        )

    def swapped(self, loaded: tuple[Advice, ...]) -> _Lists:
        changed = {
            id(old): new for old, new in zip(self.loaded, loaded, strict=True) if old is not new
        }
        if not changed:
            return self

        def swap(found: tuple[Advice, ...]) -> tuple[Advice, ...]:
            if changed.keys().isdisjoint(map(id, found)):
                return found
            return tuple([changed.get(id(a), a) for a in found])

        def swap_in(group: G) -> G:
            found = swap(group.advices)
            return group if found is group.advices else replace(group, advices=found)

        return replace(
            self,
            loaded=loaded,
            advices=swap(self.advices),
            tags=tuple(map(swap_in, self.tags)),
            rubrics=tuple(map(swap_in, self.rubrics)),
            weeks=tuple(map(swap_in, self.weeks)),
            recently_discussed=swap(self.recently_discussed),
        )


def _place(a: Advice) -> tuple[object, ...]:
    """What ordering, grouping and the address checks read of an advice."""
    rubric = a.rubric.key if a.rubric else None
    return (a.slug, a.url, a.sources[0], a.when.at, a.tags, rubric, a.last_comment, a.aliases)


def _lists(
    loaded: tuple[Advice, ...],
    pages: list[Page],
    places: tuple[tuple[str, str, tuple[str, ...]], ...],
    settings: Settings,
    builder: _Builder,
    problems: Problems,
) -> _Lists:
    advices = sorted(loaded, key=lambda a: (a.when.at, a.slug), reverse=True)
    _check_urls(advices, pages, builder.alias_lines, problems)
    return _Lists(
        loaded=loaded,
        pages=places,
        advices=tuple(advices),
        tags=_tags(advices, builder, problems),
        rubrics=tuple(
            Rubric(r, urls.rubric(r.key), tuple(a for a in advices if a.rubric == r))
            for r in settings.rubrics
        ),
        weeks=_weeks(advices),
        recently_discussed=_recently_discussed(advices, settings.comments["recent"]),
    )


class _Builder:
    def __init__(
        self,
        settings: Settings,
        options: Options,
        now: dt.datetime,
        problems: Problems,
        cache: AssembleCache,
    ) -> None:
        self.settings, self.options, self.now, self.problems = settings, options, now, problems
        self.cache = cache
        self.base = urls.base_path(settings.base_url)  # where the site lives: '/' or '/column/'
        self.used: list[bytes] = []
        self.rubrics = {r.key: r for r in settings.rubrics}
        self.related: dict[str, tuple[str, int, list[str]]] = {}
        self.tag_lines: dict[str, tuple[str, int]] = {}
        self.alias_lines: dict[str, int] = {}  # a file's `aliases` line, for the clash checks
        self.rendered = cache.bodies
        self.used_bodies: set[tuple[bytes, bool]] = set()
        self.next_scheduled: dt.datetime | None = None

    def cached_advice(self, files: AdviceFiles) -> Advice | None:
        """The advice from the cache when its files and its schedule are unchanged."""
        key = files.digest()
        hit = self.cache.advices.get(key)
        if hit is not None and hit.advice.scheduled == (hit.advice.when.at > self.now):
            if hit.related:
                self.related[files.slug] = hit.related
            if hit.tags:
                for link in hit.advice.tags:
                    self.tag_lines.setdefault(link.name, hit.tags)
            self.used.append(key)
            self.used_bodies.update(hit.bodies)
            return hit.advice
        before = len(self.problems)
        # All its bodies are kept, a draft's and a scheduled advice's too: they are shown one day.
        bodies = tuple((doc.digest, reader) for doc, reader in _bodies_of(files))
        self.used_bodies.update(bodies)
        advice = self.advice(files, key)
        if advice is not None and len(self.problems) == before and files.question is not None:
            q_lines = {k: v.line for k, v in files.question.meta.items()}
            tags = (files.question.shown, q_lines["tags"]) if "tags" in q_lines else None
            self.cache.advices[key] = _Cached(advice, self.related.get(files.slug), tags, bodies)
            self.used.append(key)
        return advice

    def text(self, value: str) -> str:
        if not self.settings.typography:
            return value
        return typeset_text(value, self.settings.language)

    def when(self, value: dt.date | dt.datetime) -> When:
        zone = self.settings.zone
        if isinstance(value, dt.datetime):
            at = value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)
            return When(at, True)
        return When(dt.datetime.combine(value, dt.time(), zone), False)

    def render(self, doc: Document, reader: bool = False) -> Body:
        key = (doc.digest, reader)
        self.used_bodies.add(key)
        done = self.rendered.get(key)
        if done is None:
            assert doc.body is not None, "a body was dropped before it was rendered"
            render = render_reader if reader else render_editor
            done = self.rendered[key] = self.cache.keeper.keep(
                render(doc.body, self.settings.language, self.settings.typography, doc.body_line)
            )
        return under_base(done, self.base)

    def advice(self, files: AdviceFiles, digest: bytes) -> Advice | None:
        """The advice, or None when it is not to be built (a draft, scheduled) or broken.

        Every file of the folder is checked on its own first, whatever else in it is
        broken, so that one run reports every mistake."""
        question, q_lines = self._checked(files.question, schema.QUESTION)
        answer, _ = self._checked(files.answer, schema.ANSWER)
        comments = [
            (comment_id, doc, *schema.check(doc, schema.COMMENT, self.problems))
            for comment_id, doc in files.comments
        ]
        draft = bool(answer.get("draft", False))
        self._check_bodies(files, draft)
        rubric = None
        if files.question is not None:
            rubric = self._rubric(question.get("rubric"), files.question, q_lines)
            self._note_question(files, question, q_lines)
        if files.answer is None:
            for _, doc in files.comments:
                self.problems.add(doc.shown, 1, "a comment on an advice that has no answer.md yet")
        complete = "date" in answer and "title" in question and "author" in question
        when = self.when(answer["date"]) if "date" in answer else None
        scheduled = when is not None and when.at > self.now
        if scheduled and not draft and when is not None:
            due = self.next_scheduled
            self.next_scheduled = when.at if due is None else min(due, when.at)
        shown = complete and (not draft or self.options.drafts)
        shown = shown and (not scheduled or self.options.future)
        asker = self.text(question.get("author", ""))
        answer_author = answer.get("author", self.settings.columnist)
        threads, count, last = self._thread(files, comments, asker, answer_author, shown)
        if not shown or files.question is None or files.answer is None or when is None:
            return None
        q = self.render(files.question)
        a = self.render(files.answer)
        description = (
            self.text(question["description"]) if "description" in question else summary(q.text)
        )
        tags = tuple(
            TagLink(name, slug, urls.tag(slug))
            for name in _unique(question.get("tags", []))
            if (slug := urls.tag_slug(name))
        )
        return Advice(
            digest=digest,
            slug=files.slug,
            url=urls.advice(self.settings.permalink, files.slug, when.date),
            title=self.text(question["title"]),
            author=asker,
            asked=_as_date(question.get("date")),
            when=when,
            updated=self.when(answer["updated"]) if "updated" in answer else None,
            description=description,
            question=q,
            answer=a,
            answer_author=self.text(answer_author),
            rubric=rubric,
            tags=tags,
            related_slugs=tuple(question.get("related", ())),
            threads=threads,
            comment_count=count,
            last_comment=last,
            draft=draft,
            scheduled=scheduled,
            sources=(
                files.question.shown,
                files.answer.shown,
                *(d.shown for _, d in files.comments),
            ),
            aliases=tuple(question.get("aliases", ())),
        )

    def _checked(
        self, doc: Document | None, table: schema.Schema
    ) -> tuple[dict[str, Any], dict[str, int]]:
        """A file's values checked against its key table; nothing for a file that is missing
        or could not be read (the loader said why)."""
        return schema.check(doc, table, self.problems) if doc is not None else ({}, {})

    def _note_question(
        self, files: AdviceFiles, question: dict[str, Any], lines: dict[str, int]
    ) -> None:
        """What the checks across advices need of a question: related advices and tags."""
        assert files.question is not None
        shown = files.question.shown
        if "related" in question:
            self.related[files.slug] = (shown, lines["related"], question["related"])
        if "aliases" in lines:
            self.alias_lines[shown] = lines["aliases"]
        for name in question.get("tags", ()):
            self.tag_lines.setdefault(name, (shown, lines["tags"]))

    def _check_bodies(self, files: AdviceFiles, draft: bool) -> None:
        """A letter or an answer with nothing to publish is a mistake; only a draft (or a
        letter still waiting for its answer.md) may stay empty: a scheduled advice is
        published by the clock, unread."""
        if files.answer is not None and not draft:
            for doc, what in ((files.question, _EMPTY_QUESTION), (files.answer, _EMPTY_ANSWER)):
                if doc is not None and doc.blank:
                    self.problems.add(doc.shown, doc.body_line - 1, what)

    def _rubric(
        self, key: str | None, doc: Document, lines: dict[str, int]
    ) -> RubricSettings | None:
        if key is None:
            return self.settings.rubrics[0] if self.settings.rubrics else None
        if key not in self.rubrics:
            known = ", ".join(self.rubrics) or "none are set in site.toml"
            hint = did_you_mean(key, self.rubrics)
            self.problems.add(
                doc.shown, lines["rubric"], f"unknown rubric '{key}'{hint}; rubrics: {known}"
            )
            return None
        return self.rubrics[key]

    def _thread(
        self,
        files: AdviceFiles,
        comments: list[tuple[str, Document, dict[str, Any], dict[str, int]]],
        asker: str,
        columnist: str,
        shown: bool,
    ) -> tuple[tuple[Any, ...], int, When | None]:
        """The advice's threads, its visible comments' count and the newest one's moment.

        Reply targets are checked even for an advice that is not built; bodies are rendered
        only for one that is. A comment whose file is broken is named as the cause of its
        replies' trouble, not reported as missing."""
        raw: list[RawComment] = []
        broken = {name: f"{files.shown}/comments/{name}.md" for name in files.unreadable}
        for comment_id, doc, values, lines in comments:
            if doc.blank and not values.get("hidden"):
                self.problems.add(doc.shown, doc.body_line - 1, _EMPTY_COMMENT)
            if "author" not in values or "date" not in values:
                broken[comment_id] = doc.shown
                continue
            raw.append(
                RawComment(
                    id=comment_id,
                    author=self.text(values["author"]),
                    when=self.when(values["date"]),
                    reply_to=values.get("reply_to"),
                    hidden=bool(values.get("hidden", False)),
                    body=self.render(doc, reader=True) if shown else _UNRENDERED,
                    source=doc.shown,
                    reply_line=lines.get("reply_to", 1),
                    role=values.get("role"),
                    anchors=tuple(a.lstrip("#") for a in values.get("aliases", ())),
                )
            )
        threads = thread(raw, asker, self.text(columnist), self.problems, broken)
        visible = [c for c in raw if not c.hidden]
        last = max((c.when for c in visible), key=lambda w: w.at, default=None)
        return threads, len(visible), last

    def page(self, name: str, doc: Document) -> Page | None:
        values, lines = schema.check(doc, schema.PAGE, self.problems)
        if "aliases" in lines:
            self.alias_lines[doc.shown] = lines["aliases"]
        if name in urls.RESERVED or name == "advice":
            self.problems.add(
                doc.shown, 1, f"page name '{name}' is taken by the site's own /{name}/"
            )
            return None
        if doc.blank and not values.get("draft"):
            self.problems.add(doc.shown, doc.body_line - 1, _EMPTY_PAGE)
        if "title" not in values or (values.get("draft") and not self.options.drafts):
            return None
        rendered = self.render(doc)
        return Page(
            name=name,
            url=urls.page(name),
            title=self.text(values["title"]),
            description=(
                self.text(values["description"])
                if "description" in values
                else summary(rendered.text)
            ),
            html=rendered.html,
            menu=values.get("menu"),
            source=doc.shown,
            links=rendered.links,
            link_lines=rendered.link_lines,
            aliases=tuple(values.get("aliases", ())),
        )


def _typeset_settings(settings: Settings) -> Settings:
    """Settings' texts are shown on pages too, so they are typeset like content, once."""
    if not settings.typography:
        return settings

    def text(value: str) -> str:
        return typeset_text(value, settings.language)

    rubrics = tuple(
        replace(
            r,
            title=text(r.title),
            signature=text(r.signature),
            about=text(r.about),
            course=replace(r.course, text=text(r.course.text), note=text(r.course.note))
            if r.course
            else None,
        )
        for r in settings.rubrics
    )
    comments = {**settings.comments, "policy": text(settings.comments["policy"])}
    subscribe = {**settings.subscribe, "list_name": text(settings.subscribe["list_name"])}
    return replace(
        settings,
        title=text(settings.title),
        description=text(settings.description),
        columnist=text(settings.columnist),
        rubrics=rubrics,
        comments=comments,
        subscribe=subscribe,
    )


def _as_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return result


def _check_urls(
    advices: list[Advice], pages: list[Page], lines: dict[str, int], problems: Problems
) -> None:
    """Two advices (or an advice and a page) on one address would overwrite each other."""
    owners: dict[str, str] = {}
    addresses = [(a.url, a.sources[0]) for a in advices] + [(p.url, p.source) for p in pages]
    for url, source in addresses:
        first = url.strip("/").split("/")[0]
        if first in urls.RESERVED and not url.startswith("/advice/"):
            problems.add(source, 1, f"address {url} is taken by the site's own /{first}/ pages")
        if url in owners:
            problems.add(source, 1, f"address {url} is also the address of {owners[url]}")
            problems.add(owners[url], 1, f"address {url} is also the address of {source}")
        owners.setdefault(url, source)
    _check_aliases(advices, pages, owners, lines, problems)


def _check_aliases(
    advices: list[Advice],
    pages: list[Page],
    owners: dict[str, str],
    lines: dict[str, int],
    problems: Problems,
) -> None:
    """An old address must lead to one place, and never stand where the site writes a page."""
    taken: dict[str, str] = {}
    claims = [(alias, a.sources[0]) for a in advices for alias in a.aliases]
    claims += [(alias, p.source) for p in pages for alias in p.aliases]
    for alias, source in claims:
        line = lines.get(source, 1)
        path = alias.partition("?")[0]
        first = path.strip("/").split("/")[0]
        if "?" not in alias and (path in owners or path.rstrip("/") + "/" in owners):
            page = owners.get(path) or owners[path.rstrip("/") + "/"]
            problems.add(source, line, f"alias {alias} is the address of {page}: remove it")
        elif "?" not in alias and (first in urls.RESERVED or path in _BUILT or path == "/"):
            problems.add(source, line, f"alias {alias} is taken by the site's own pages")
        elif alias in taken and taken[alias] != source:
            problems.add(source, line, f"alias {alias} is also an alias of {taken[alias]}")
        taken.setdefault(alias, source)


# Files the build writes at the top of the site, which an alias's redirect page must not take.
_BUILT = {"/404.html", "/sitemap.xml", "/robots.txt", "/feed.xml", "/atom.xml", "/comments.xml"}
_BUILT |= {"/_redirects", "/.htaccess", "/redirects.nginx.conf"}


def _check_related(
    slug: str, source: str, line: int, related: list[str], known: set[str], problems: Problems
) -> None:
    for other in related:
        if other == slug:
            problems.add(source, line, f"related: '{other}' is this advice itself")
        elif other not in known:
            problems.add(source, line, f"related: no advice '{other}'{did_you_mean(other, known)}")


def _tags(advices: list[Advice], builder: _Builder, problems: Problems) -> tuple[Tag, ...]:
    """Topics by slug; two different names on one slug would share a page, so that is an error."""
    by_slug: dict[str, list[Advice]] = {}
    names: dict[str, str] = {}
    for advice in advices:
        for link in advice.tags:
            first = names.setdefault(link.slug, link.name)
            if first.casefold() != link.name.casefold():
                source, line = builder.tag_lines.get(link.name, (advice.sources[0], 1))
                problems.add(
                    source,
                    line,
                    f"tag '{link.name}' and tag '{first}' share the address {link.url}",
                )
            by_slug.setdefault(link.slug, []).append(advice)
    tags = [Tag(names[s], s, urls.tag(s), tuple(found)) for s, found in by_slug.items()]
    return tuple(sorted(tags, key=lambda t: t.name.casefold()))


def _check_tag_names(builder: _Builder, problems: Problems) -> None:
    for name, (source, line) in builder.tag_lines.items():
        if not urls.tag_slug(name):
            problems.add(source, line, f"tag '{name}' has no letters or digits for its address")


def _weeks(advices: list[Advice]) -> tuple[Week, ...]:
    grouped: dict[tuple[int, int], list[Advice]] = {}
    for advice in advices:
        grouped.setdefault(advice.week, []).append(advice)
    return tuple(
        Week(year, number, urls.week(year, number), tuple(found))
        for (year, number), found in sorted(grouped.items(), reverse=True)
    )


def _recently_discussed(advices: list[Advice], count: int) -> tuple[Advice, ...]:
    """Advices ordered by their newest published comment, newest first."""
    discussed = [a for a in advices if a.last_comment is not None]
    discussed.sort(key=lambda a: a.last_comment.at if a.last_comment else a.when.at, reverse=True)
    return tuple(discussed[:count])


def _related(advices: tuple[Advice, ...], cache: AssembleCache) -> dict[str, tuple[str, ...]]:
    """The editor's choice when given, else the advices sharing most tags, newest first.

    Depends only on each advice's tags and place in time, so a build where those did not
    change (an edited comment, an answer) takes the last result.
    """
    key = tuple([(a.slug, a.tags, a.related_slugs) for a in advices])
    if key != cache.related_key:
        cache.related_key, cache.related = key, _related_slugs(advices)
    return cache.related


def _related_slugs(advices: tuple[Advice, ...]) -> dict[str, tuple[str, ...]]:
    """For each advice, the others sharing most of its tags, newest first among equals.

    Each tag is a bit set over the advices, bit 0 the newest; counting shared tags with these
    sets costs a few operations on integers per advice, where walking the lists of the
    advices under each tag took time growing with the square of the column (11 of the 18
    seconds of assembling 10 000 advices)."""
    bits: dict[str, int] = {}
    for rank, advice in enumerate(advices):  # advices come newest first
        for link in advice.tags:
            bits[link.slug] = bits.get(link.slug, 0) | 1 << rank
    related: dict[str, tuple[str, ...]] = {}
    for rank, advice in enumerate(advices):
        if advice.related_slugs:
            related[advice.slug] = tuple(s for s in advice.related_slugs if s != advice.slug)
            continue
        mine = {link.slug for link in advice.tags}
        at_least = [-1] + [0] * len(mine)  # at_least[n]: the advices sharing n tags or more
        for tag in mine:
            for shared in range(len(mine), 0, -1):
                at_least[shared] |= at_least[shared - 1] & bits[tag]
        chosen: list[int] = []
        left = ~(1 << rank)
        for shared in range(len(mine), 0, -1):
            found = at_least[shared] & left
            while found and len(chosen) < RELATED_COUNT:
                lowest = found & -found
                chosen.append(lowest.bit_length() - 1)
                found ^= lowest
                left &= ~lowest
        related[advice.slug] = tuple(advices[r].slug for r in chosen)
    return related
