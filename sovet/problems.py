"""One type for every user mistake: a path, a line and a message, all collected in one run."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """A mistake in content or settings, printed as ``path:line: message``.

    `after` names the file whose own mistake causes this one (a reply to a broken comment):
    such an echo is listed right after that file's problems, so the cause is read first."""

    path: str
    line: int
    message: str
    after: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        # One line each, and nothing a terminal would obey: file names and keys come from users.
        object.__setattr__(self, "path", printable(self.path))
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Problems:
    """Collects problems across all files so the user sees every one in a single run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, message: str, after: str = "") -> None:
        self.items.append(Problem(path, max(line, 1), message, after))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return in_order(self.items)


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """By path, then line, each echo right after its cause, duplicates dropped: the order an
    editor fixes them in."""
    return sorted(set(problems), key=_place)


def _place(problem: Problem) -> tuple[str, bool, str, int, str]:
    cause = problem.after or problem.path
    return cause, bool(problem.after), problem.path, problem.line, problem.message


class BuildFailed(Exception):
    """Raised after validation when the user's input has problems; never for a bug of ours."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix when a close choice exists, else ''."""
    close = closest(word, choices)
    return f' (did you mean "{close}"?)' if close else ""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice WORD was most likely meant to be; one differing only in case wins."""
    choices = list(choices)
    same = [choice for choice in choices if choice.casefold() == word.casefold()]
    return same[0] if same else _close_match(word, choices)


def _close_match(word: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    """What `difflib.get_close_matches(word, choices, n=1, cutoff)` answers, without the full
    comparison of every choice: a site of 10 000 pages made each hint cost 0.4 s. The full
    ratio is never above the quick one, so choices are compared in the order of their quick
    ratios, and the search stops at the first that cannot tie with the best found."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    bounded = []
    for choice in choices:
        matcher.set_seq1(choice)
        if matcher.real_quick_ratio() >= cutoff and (bound := matcher.quick_ratio()) >= cutoff:
            bounded.append((bound, choice))
    bounded.sort(reverse=True)
    best: tuple[float, str] | None = None
    for bound, choice in bounded:
        if best is not None and bound < best[0]:
            break
        matcher.set_seq1(choice)
        score = matcher.ratio()
        if score >= cutoff and (best is None or (score, choice) > best):
            best = (score, choice)
    return best[1] if best else None


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Newlines become spaces, other control characters their escapes (\\x1b)."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


# Characters XML 1.0 forbids: feeds and letters could not carry them, and in a text file they
# are a paste accident or binary data. Tab, newline and carriage return are fine.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# The same characters written as HTML character references: Markdown and HTML decode them.
_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}));?")


def bad_character(text: str, references: bool = False) -> tuple[int, str] | None:
    """The offset and a description of the first character no page or feed may carry.

    With REFERENCES, also such a character written as `&#14;`: in a Markdown body it is
    decoded (text values are shown as written, so they need not be checked for them).
    """
    found = _FORBIDDEN.search(text)
    reference = _forbidden_reference(text) if references and "&#" in text else None
    if reference is not None and (found is None or reference.start() < found.start()):
        code = _code(reference)
        return reference.start(), f"'{reference.group()}', the {_kind(code)} U+{code:04X},"
    if found is None:
        return None
    code = ord(found.group())
    return found.start(), f"the {_kind(code)} U+{code:04X}"


def _forbidden_reference(text: str) -> re.Match[str] | None:
    for match in _REFERENCE.finditer(text):
        code = _code(match)
        if code < 0x110000 and _FORBIDDEN.match(chr(code)):
            return match
    return None


def _code(match: re.Match[str]) -> int:
    hexadecimal, decimal = match.groups()
    return int(hexadecimal, 16) if hexadecimal else int(decimal)


def _kind(code: int) -> str:
    return "control character" if code < 0x20 else "non-character"


def display_path(path: Path, root: Path) -> str:
    """A path as the user should see it: relative to the working folder when possible."""
    try:
        inside = path.relative_to(root)  # no file system access: fast for thousands of files
    except ValueError:
        return _shown(path, root)
    prefix = _root_prefix(root)
    return f"{prefix}/{inside.as_posix()}" if prefix else inside.as_posix()


@functools.lru_cache(maxsize=8)
def _root_prefix(root: Path) -> str:
    shown = _shown(root, root)
    return "" if shown == "." else shown


def _shown(path: Path, root: Path) -> str:
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        try:
            return str(resolved.relative_to(root.resolve().parent))
        except ValueError:
            return str(path)
