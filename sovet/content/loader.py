"""Walk content/ into documents with positions: advice folders and plain pages."""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from .. import parallel, urls
from ..problems import Problem, Problems, did_you_mean, display_path
from .frontmatter import Document, split
from .schema import ID_RE
from .stamps import folder_stamp


@dataclass
class AdviceFiles:
    """The files of one advice folder, split but not yet checked against the key tables."""

    slug: str
    shown: str
    question: Document | None = None
    answer: Document | None = None
    comments: list[tuple[str, Document]] = field(default_factory=list)
    # Comment files that exist but could not be read (each reported): a reply to one of them
    # is not a reply to nothing.
    unreadable: set[str] = field(default_factory=set)
    _digest: bytes = b""

    def drop_bodies(self) -> None:
        """Forget the Markdown of every file once its HTML is made: a worker that rendered
        the bodies sends back only what the build still needs (a third of the column less
        to copy between processes and to hold)."""
        self.question = self.question and replace(self.question, body=None)
        self.answer = self.answer and replace(self.answer, body=None)
        self.comments = [(name, replace(doc, body=None)) for name, doc in self.comments]

    def digest(self) -> bytes:
        """Changes whenever any file of the folder changes, appears or goes (computed once:
        a folder is complete before anyone asks, and serve keeps unchanged folders)."""
        if not self._digest:
            self._digest = self._compute_digest()
        return self._digest

    def _compute_digest(self) -> bytes:
        hasher = hashlib.blake2b(self.slug.encode(), digest_size=16)
        named = [("question", self.question), ("answer", self.answer), *self.comments]
        for name, doc in named:
            if doc is not None:
                hasher.update(name.encode() + b"\0" + doc.digest)
        return hasher.digest()


@dataclass
class ContentFiles:
    advices: list[AdviceFiles] = field(default_factory=list)
    pages: list[tuple[str, Document]] = field(default_factory=list)


Prepare = Callable[[AdviceFiles], Any]
Receive = Callable[[AdviceFiles, Any], None]


@dataclass
class LoadCache:
    """Advice folders kept between builds: in one process (serve), or from the build cache.

    The caller names what changed before each build: `dirty` holds the folders to read again,
    or is None when anything may have changed. Only folders that loaded without a problem are
    kept, so every problem is found again on the next build.
    """

    folders: dict[str, AdviceFiles] = field(default_factory=dict)
    dirty: set[str] | None = None
    # A build in a new process knows no `dirty`: it compares each folder's stamp with the one
    # its kept folder was read at (`stamps`), and leaves this build's stamps in `made`.
    stamps: dict[str, bytes] | None = None
    made: dict[str, bytes] = field(default_factory=dict)
    taken: dict[str, bytes] = field(default_factory=dict)  # stamps the build cache just took


def mark_changed(dirty: set[str] | None, changed: Path, advice_dir: Path) -> set[str] | None:
    """Add a changed path to a dirty set: its advice folder, or None (everything) elsewhere."""
    try:
        slug = changed.relative_to(advice_dir).parts[0]
    except (ValueError, IndexError):
        return None
    return None if dirty is None else dirty | {slug}


def load_content(
    root: Path,
    problems: Problems,
    cache: LoadCache | None = None,
    jobs: int = 1,
    prepare: Prepare | None = None,
    receive: Receive | None = None,
) -> ContentFiles:
    """Every content file of the site at ROOT; mistakes are added to problems, never raised.

    Advice folders are read on `jobs` processes; `prepare`, when given, runs on the same
    process right after a folder is read (the build renders its bodies there). `receive`
    is handed each advice folder, in folder order, as soon as it is read, with what `prepare`
    made of it (None for a folder kept from an earlier build): the build assembles each
    advice while the next ones are read.
    """
    cache = cache or LoadCache()
    guard = _Guard(root, problems)
    for name in ASSET_FOLDERS:
        guard.walk(root / name)
    _static_clashes(root, problems)
    content = root / "content"
    found = ContentFiles()
    if not guard.inside(content):
        return found
    if not content.is_dir():
        problems.add(display_path(content, root), 1, "no content/ folder in the site")
        return found
    _stray_files(content, root, problems, {"advice", "pages"}, _CONTENT_HOLDS)
    advice_dir = content / "advice"
    kept, cache.folders, cache.made = cache.folders, {}, {}
    stamps = cache.stamps
    if guard.inside(advice_dir) and _is_folder(advice_dir, root, problems):
        slots: list[AdviceFiles | Path] = []  # kept folders, and folders to read
        for name in sorted(os.listdir(advice_dir)):
            if name.startswith("."):
                continue
            if cache.dirty is not None and name not in cache.dirty and name in kept:
                slots.append(kept[name])
                continue
            folder = advice_dir / name
            stamp = (cache.taken.get(name) or folder_stamp(folder)) if stamps is not None else None
            if stamp is not None:
                cache.made[name] = stamp
                if name in kept and stamps is not None and stamps.get(name) == stamp:
                    slots.append(kept[name])
                    continue
            shown = display_path(folder, root)
            if not guard.inside(folder):
                continue
            if not folder.is_dir():
                problems.add(shown, 1, "unexpected file: each advice is a folder with question.md")
                continue
            if not ID_RE.match(folder.name):
                problems.add(shown, 1, _bad_name("advice folder", folder))
                continue
            slots.append(folder)
        work = [
            partial(_read_advice, s, root, guard, prepare) for s in slots if isinstance(s, Path)
        ]
        read = parallel.each(work, jobs)
        try:
            for slot in slots:
                made = None
                if isinstance(slot, AdviceFiles):
                    files, clean = slot, True
                else:
                    files, found_problems, made = next(read)
                    problems.extend(found_problems)
                    clean = not found_problems
                found.advices.append(files)
                if clean:
                    cache.folders[files.slug] = files
                else:
                    cache.made.pop(files.slug, None)
                if receive is not None:
                    receive(files, made)
        finally:
            read.close()
    pages_dir = content / "pages"
    if guard.inside(pages_dir) and _is_folder(pages_dir, root, problems):
        found.pages = _load_pages(pages_dir, root, guard)
    return found


def _load_pages(pages_dir: Path, root: Path, guard: _Guard) -> list[tuple[str, Document]]:
    pages, _ = _named_documents(pages_dir, "page", root, guard)
    return pages


def _named_documents(
    folder: Path, what: str, root: Path, guard: _Guard
) -> tuple[list[tuple[str, Document]], set[str]]:
    """The `<id>.md` files of a folder (pages, comments), and the ids that could not be read."""
    problems = guard.problems
    found: list[tuple[str, Document]] = []
    unreadable: set[str] = set()
    for path in sorted(folder.iterdir()):
        shown = display_path(path, root)
        if not _is_markdown(path) or not guard.inside(path):
            continue
        if path.suffix != ".md":
            problems.add(shown, 1, f"{what} files end in '.md': rename it to '{path.stem}.md'")
        elif not ID_RE.match(path.stem):
            problems.add(shown, 1, _bad_name(f"{what} file", path))
        elif doc := split(path, shown, problems):
            found.append((path.stem, doc))
        else:
            unreadable.add(path.stem)
    return found, unreadable


def _read_advice(
    folder: Path, root: Path, guard: _Guard, prepare: Prepare | None
) -> tuple[AdviceFiles, list[Problem], Any]:
    """One advice folder with its own problems (it may be read on another process)."""
    problems = Problems()
    files = _load_advice(folder, root, guard.reporting_to(problems))
    return files, problems.items, prepare(files) if prepare else None


def _load_advice(folder: Path, root: Path, guard: _Guard) -> AdviceFiles:
    problems = guard.problems
    files = AdviceFiles(folder.name, display_path(folder, root))
    for name in ("question", "answer"):
        path = folder / f"{name}.md"
        if not (path.is_symlink() or path.exists()):
            if name == "question":
                problems.add(display_path(path, root), 1, "missing: every advice needs question.md")
        elif guard.inside(path):
            setattr(files, name, split(path, display_path(path, root), problems))
    _stray_files(folder, root, problems, ADVICE_FILES, _ADVICE_HOLDS)
    comments = folder / "comments"
    if not guard.inside(comments) or not _is_folder(comments, root, problems):
        return files
    files.comments, files.unreadable = _named_documents(comments, "comment", root, guard)
    return files


# Site folders whose files are published or shape pages; a symlink in them must stay inside.
ASSET_FOLDERS = ("static", "templates", "themes")
# Text files an editor meant as content: ignoring one silently would lose it.
_MARKDOWN = (".md", ".markdown", ".mdown", ".txt")


class _Guard:
    """Refuses symlinks that lead out of the site (or nowhere), so no outside file is published.

    The site's own folders (content/, static/, templates/, themes/) may be symlinks, set up by
    whoever set up the site (content kept in another repository); below them every entry on
    the way down is checked, so a symlinked folder is caught before its files are read. Only
    symlinks are resolved, which keeps large sites fast.
    """

    def __init__(self, root: Path, problems: Problems) -> None:
        self.root, self.problems = root, problems
        tops = [root / name for name in ("content", *ASSET_FOLDERS)]
        self.bounds = [root.resolve(), *(top.resolve() for top in tops if top.is_dir())]

    def reporting_to(self, problems: Problems) -> _Guard:
        """The same guard, adding its problems to PROBLEMS."""
        guard = copy.copy(self)
        guard.problems = problems
        return guard

    def inside(self, path: Path) -> bool:
        """False, with a problem, for a symlink whose target is outside the site."""
        if not path.is_symlink():
            return True
        reason = self._reason(path)
        if reason is None:
            return True
        self.problems.add(display_path(path, self.root), 1, reason)
        return False

    def walk(self, folder: Path) -> None:
        """Check every symlink below FOLDER (not following them)."""
        if not self.inside(folder) or not folder.is_dir():
            return
        with os.scandir(folder) as entries:
            children = sorted(entries, key=lambda entry: entry.name)
        for entry in children:
            path = Path(entry.path)
            if entry.is_symlink():
                self.inside(path)
            elif entry.is_dir():
                self.walk(path)
            elif not entry.is_file(follow_symlinks=False):
                shown = display_path(path, self.root)
                self.problems.add(shown, 1, "not a regular file (a pipe or a device): remove it")

    def _reason(self, link: Path) -> str | None:
        try:
            target = link.resolve(strict=True)
        except (OSError, RuntimeError):
            return f"symlink to '{os.readlink(link)}' leads nowhere (or into a loop): remove it"
        bound = next((b for b in self.bounds if target.is_relative_to(b)), None)
        if bound is None:
            return (
                f"symlink to '{target}' points outside the site: refused, so that no file "
                "from outside the site is published; copy the file in instead"
            )
        if any(part.startswith(".") for part in target.relative_to(bound).parts):
            return f"symlink to '{target}' points into a hidden folder (.git?): refused"
        if not (target.is_file() or target.is_dir()):
            return f"symlink to '{target}', not a regular file (a pipe or a device): remove it"
        return None


# What the build itself writes at the top of the output folder.
_BUILT_FILES = {urls.output_path(u).name for u in (urls.FEED, urls.ATOM, urls.COMMENTS_FEED)}
_BUILT_FILES |= {"index.html", "404.html", "sitemap.xml", "robots.txt"}
_BUILT_FOLDERS = urls.RESERVED | {"advice"}


def _static_clashes(root: Path, problems: Problems) -> None:
    """A file in static/ that the build's own files would overwrite, or that has the name of
    one of its folders, is lost or breaks the build: say so before anything is written."""
    static = root / "static"
    if not static.is_dir():
        return
    for path in sorted(static.iterdir()):
        if not path.is_file():
            continue
        if path.name in _BUILT_FILES:
            message = f"the build writes /{path.name} itself, so this file would be lost"
        elif path.name in _BUILT_FOLDERS:
            message = f"/{path.name}/ is a folder of the site, so a file cannot have its name"
        else:
            continue
        problems.add(display_path(path, root), 1, message + ": rename it")


def _is_folder(path: Path, root: Path, problems: Problems) -> bool:
    """True for an existing folder; a file where a folder belongs is a problem."""
    if path.is_dir():
        return True
    if path.exists() or path.is_symlink():
        problems.add(display_path(path, root), 1, f"'{path.name}' must be a folder, not a file")
    return False


def _is_markdown(path: Path) -> bool:
    return not path.name.startswith(".") and path.suffix.lower() in _MARKDOWN


def _stray_files(
    folder: Path, root: Path, problems: Problems, allowed: set[str], holds: str
) -> None:
    """Markdown files the build would skip, and names that differ from an expected one in case."""
    for path in sorted(folder.iterdir()):
        name = path.name
        if name in allowed or name.startswith(".") or path.stem.casefold() == "readme":
            continue
        expected = next((a for a in sorted(allowed) if a.casefold() == name.casefold()), None)
        if expected is not None:
            message = f"'{name}' is not read: name it '{expected}' (lowercase)"
        elif _is_markdown(path):
            hint = did_you_mean(name, sorted(allowed))
            message = f"unexpected file '{name}' is not read{hint}: {holds}"
        else:
            continue
        problems.add(display_path(path, root), 1, message)


ADVICE_FILES = {"question.md", "answer.md", "comments"}
_ADVICE_HOLDS = "an advice folder holds question.md, answer.md and comments/<id>.md"
_CONTENT_HOLDS = "advices go in content/advice/<slug>/, plain pages in content/pages/<name>.md"


def _bad_name(what: str, path: Path) -> str:
    """Why a folder or file name is refused; for capitals, what it collides with elsewhere."""
    name = path.stem if path.suffix == ".md" else path.name
    message = f"{what} name '{name}' must be lowercase ASCII letters, digits and hyphens"
    lower = name.lower()
    if lower == name or not ID_RE.match(lower):
        return message
    message += f": rename it to '{lower}'"
    twin = path.with_name(lower + path.suffix if path.suffix == ".md" else lower)
    if twin.exists():
        message += (
            f"; '{twin.name}' exists too, and on a file system that ignores case"
            " (macOS, Windows) the two are one and the same"
        )
    return message
