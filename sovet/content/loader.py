"""Walk content/ into documents with positions: advice folders and plain pages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problems, display_path
from .frontmatter import Document, split
from .schema import ID_RE


@dataclass
class AdviceFiles:
    """The files of one advice folder, split but not yet checked against the key tables."""

    slug: str
    shown: str
    question: Document | None = None
    answer: Document | None = None
    comments: list[tuple[str, Document]] = field(default_factory=list)

    def digest(self) -> bytes:
        """Changes whenever any file of the folder changes, appears or goes."""
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


@dataclass
class LoadCache:
    """Advice folders kept between builds in one process (serve).

    The caller names what changed before each build: `dirty` holds the folders to read again,
    or is None when anything may have changed. Only folders that loaded without a problem are
    kept, so every problem is found again on the next build.
    """

    folders: dict[str, AdviceFiles] = field(default_factory=dict)
    dirty: set[str] | None = None


def mark_changed(dirty: set[str] | None, changed: Path, advice_dir: Path) -> set[str] | None:
    """Add a changed path to a dirty set: its advice folder, or None (everything) elsewhere."""
    try:
        slug = changed.relative_to(advice_dir).parts[0]
    except (ValueError, IndexError):
        return None
    return None if dirty is None else dirty | {slug}


def load_content(root: Path, problems: Problems, cache: LoadCache | None = None) -> ContentFiles:
    """Every content file of the site at ROOT; mistakes are added to problems, never raised."""
    cache = cache or LoadCache()
    content = root / "content"
    found = ContentFiles()
    if not content.is_dir():
        problems.add(display_path(content, root), 1, "no content/ folder in the site")
        return found
    advice_dir = content / "advice"
    kept, cache.folders = cache.folders, {}
    if advice_dir.is_dir():
        for folder in sorted(advice_dir.iterdir()):
            if folder.name.startswith("."):
                continue
            if cache.dirty is not None and folder.name not in cache.dirty and folder.name in kept:
                found.advices.append(kept[folder.name])
                cache.folders[folder.name] = kept[folder.name]
                continue
            shown = display_path(folder, root)
            if not folder.is_dir():
                problems.add(shown, 1, "unexpected file: each advice is a folder with question.md")
                continue
            if not ID_RE.match(folder.name):
                problems.add(shown, 1, _bad_name("advice folder", folder.name))
                continue
            before = len(problems)
            files = _load_advice(folder, root, problems)
            found.advices.append(files)
            if len(problems) == before:
                cache.folders[folder.name] = files
    pages_dir = content / "pages"
    if pages_dir.is_dir():
        for path in sorted(pages_dir.glob("*.md")):
            shown = display_path(path, root)
            if not ID_RE.match(path.stem):
                problems.add(shown, 1, _bad_name("page file", path.stem))
                continue
            if doc := split(path, shown, problems):
                found.pages.append((path.stem, doc))
    return found


def _load_advice(folder: Path, root: Path, problems: Problems) -> AdviceFiles:
    files = AdviceFiles(folder.name, display_path(folder, root))
    for name in ("question", "answer"):
        path = folder / f"{name}.md"
        if path.is_file():
            setattr(files, name, split(path, display_path(path, root), problems))
    if not (folder / "question.md").is_file():
        problems.add(files.shown + "/question.md", 1, "missing: every advice needs question.md")
    comments = folder / "comments"
    if comments.is_dir():
        for path in sorted(comments.iterdir()):
            shown = display_path(path, root)
            if path.name.startswith(".") or path.suffix != ".md":
                continue
            if not ID_RE.match(path.stem):
                problems.add(shown, 1, _bad_name("comment file", path.stem))
                continue
            if doc := split(path, shown, problems):
                files.comments.append((path.stem, doc))
    return files


def _bad_name(what: str, name: str) -> str:
    return f"{what} name '{name}' must be lowercase ASCII letters, digits and hyphens"
