"""A run: the joined text of one inline context, cut into segments.

Rules see the whole run, so their context crosses inline markup, but an edit is
kept only when it falls inside one editable segment. That is what keeps token
boundaries, code, URLs and line breaks exactly as they were.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

PLACEHOLDER = "\ufffc"  # stands for an opaque, word-like object (code, URL, image)
BREAK = "\u2028"  # stands for a line break that is not text (softbreak, <br>)

Replacement = Callable[[re.Match[str]], str]

# A URL stops before any character the typographer may produce, so that a second
# pass finds exactly the same URLs as the first.
_NOT_URL = "\\s<>\"'«»„“”‘’…—–"
# Each pattern starts only where a run of its characters starts (the look-behind) and never
# gives back what it took (possessive), so a run is read once: a reader's 50 000 letters
# before a lone '@' or '://' cost what any text of that length costs. A scheme may follow
# digits in the run ("1http://"): they stay text, outside the `url` group.
_SCHEME = r"A-Za-z0-9+.\-"
_URL = (
    rf"(?<![{_SCHEME}])[0-9+.\-]*+"
    rf"(?P<url>[A-Za-z][{_SCHEME}]*+://[^{_NOT_URL}]*[^{_NOT_URL}.,;:!?)\]])"
)
_EMAIL = r"(?<![\w.+\-])(?P<email>[\w.+\-]++@[\w\-]++(?:\.[\w\-]++)+)"
_PROTECTED = re.compile(f"{_URL}|{_EMAIL}|(?P<stand_in>[{PLACEHOLDER}{BREAK}])")
_MAYBE_PROTECTED = re.compile(f"[:@{PLACEHOLDER}{BREAK}]")
_STAND_INS = re.compile(f"[{PLACEHOLDER}{BREAK}]")


@dataclass(frozen=True, slots=True)
class Rule:
    """A precompiled pattern, its replacement, and substrings that must occur.

    A str replacement is literal (it must hold no backslash). Patterns start with
    a literal or a narrow class so the regex engine can skip ahead quickly; the
    triggers let a rule skip a run that cannot match at all. A rule that keeps
    lengths swaps characters one for one, so it can never move a piece boundary.
    """

    name: str
    pattern: re.Pattern[str]
    replace: str | Replacement
    wanted: Callable[[str], bool]  # whether the rule can match a text at all (a cheap test)
    keeps_length: bool = False  # every replacement is as long as its match

    def replacement(self, match: re.Match[str]) -> str:
        """The replacement text for one match."""
        return self.replace if isinstance(self.replace, str) else self.replace(match)


def rule(
    name: str,
    pattern: str,
    replace: str | Replacement,
    triggers: str | tuple[str, ...] = (),
    *,
    flags: int = 0,
    keeps_length: bool = False,
) -> Rule:
    """Compile a rule once, at import; a str of triggers means any of its chars."""
    if isinstance(replace, str) and "\\" in replace:
        raise ValueError(f"rule {name}: literal replacement must not hold a backslash")
    needles = tuple(triggers) if isinstance(triggers, str) else triggers
    return Rule(name, re.compile(pattern, flags), replace, _finder(needles), keeps_length)


def _finder(needles: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a text holds any of NEEDLES, tested the quickest way for them: `in` for one
    or two (a plain scan), a character class for more single characters (an alternation of
    the ten digits took six times as long), an alternation otherwise."""
    if not needles:
        return lambda text: True
    if len(needles) == 1:
        needle = needles[0]
        return lambda text: needle in text
    if len(needles) == 2:
        first, second = needles
        return lambda text: first in text or second in text
    escaped = map(re.escape, needles)
    single = all(len(needle) == 1 for needle in needles)
    search = re.compile(f"[{''.join(escaped)}]" if single else "|".join(escaped)).search
    return lambda text: search(text) is not None


def _core(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and suffix: the edit is what lies between."""
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail


class Run:
    """Joined text plus the pieces it came from, so it can be split back.

    Stand-ins (one character each) are never consumed by a rule, so as long as
    no two text pieces touch, every match lies inside one piece and the text can
    be split back at the stand-ins. Touching pieces (``*a* b``) need the slower
    path that guards each edit and tracks where the pieces start.
    """

    def __init__(self) -> None:
        self.text = ""
        self._chunks: list[str] = []
        self._owners: list[int] = []  # the text token a piece belongs to, or -1
        self._originals: list[str | None] = []  # None marks an editable piece
        self._starts: list[int] = []
        self._touching = False

    def _add(self, chunk: str, owner: int, original: str | None) -> None:
        if original is None and self._originals and self._originals[-1] is None:
            self._touching = True
        self._chunks.append(chunk)
        self._owners.append(owner)
        self._originals.append(original)

    def add_text(self, text: str, owner: int) -> None:
        """Add editable text; URLs and e-mail addresses in it become opaque."""
        if not text:
            return
        if _MAYBE_PROTECTED.search(text) is None:
            self._add(text, owner, None)
            return
        pos = 0
        for match in _PROTECTED.finditer(text):
            kind = match.lastgroup or "stand_in"
            start, end = match.span(kind)
            if start > pos:
                self._add(text[pos:start], owner, None)
            found = match.group(kind)
            self._add(BREAK if found == BREAK else PLACEHOLDER, owner, found)
            pos = end
        if pos < len(text):
            self._add(text[pos:], owner, None)

    def add_fixed(self, stand_in: str) -> None:
        """Add an object rules may see but never change: PLACEHOLDER or BREAK."""
        self._add(stand_in, -1, "")

    def finish(self) -> None:
        """Join the chunks; call once, after the last add."""
        self.text = "".join(self._chunks)
        if self._touching:
            size = 0
            for chunk in self._chunks:
                self._starts.append(size)
                size += len(chunk)
        self._chunks = []

    def _accepts(self, start: int, end: int) -> bool:
        index = bisect_right(self._starts, start) - 1
        if index < 0 or start >= end or self._originals[index] is not None:
            return False
        limit = self._starts[index + 1] if index + 1 < len(self._starts) else len(self.text)
        return end <= limit

    def apply(self, rules: Iterable[Rule]) -> None:
        """Run each rule in turn over the whole text, skipping those that cannot match."""
        for rule in rules:
            if rule.wanted(self.text):
                self._apply(rule)

    def _apply(self, rule: Rule) -> None:
        """Run one rule over the whole text, keeping only edits inside a piece."""
        if rule.keeps_length or not self._touching:
            self.text = rule.pattern.sub(rule.replace, self.text)
            return
        edits: list[tuple[int, int]] = []

        def guarded(match: re.Match[str]) -> str:
            old = match.group()
            new = rule.replacement(match)
            if new == old:
                return old
            start, end = match.span()
            if not self._accepts(start, end):
                head, tail = _core(old, new)
                start, end = start + head, end - tail
                if not self._accepts(start, end):
                    return old
            edits.append((end, len(new) - len(old)))
            return new

        self.text = rule.pattern.sub(guarded, self.text)
        if edits:
            self._shift(edits)

    def _shift(self, edits: list[tuple[int, int]]) -> None:
        """Move piece starts by the length changes of the edits before them."""
        starts = self._starts
        delta = 0
        done = 0
        for index in range(bisect_right(starts, edits[0][0] - 1), len(starts)):
            start = starts[index]
            while done < len(edits) and edits[done][0] <= start:
                delta += edits[done][1]
                done += 1
            starts[index] = start + delta

    def replace_chars(self, changes: dict[int, str]) -> None:
        """Swap single characters in place (quotes); lengths stay the same."""
        if not changes:
            return
        chars = list(self.text)
        for index, char in changes.items():
            chars[index] = char
        self.text = "".join(chars)

    def _texts(self) -> list[str]:
        """The final text of every piece, in order, found the cheap way if possible."""
        if self._touching:
            ends = [*self._starts[1:], len(self.text)]
            return [self.text[start:end] for start, end in zip(self._starts, ends, strict=True)]
        gaps = iter(_STAND_INS.split(self.text))
        texts: list[str] = []
        gap = next(gaps)
        for original in self._originals:
            if original is None:
                texts.append(gap)
            else:
                texts.append(original)
                gap = next(gaps)
        return texts

    def pieces(self, owners: int) -> list[str]:
        """The final text of each owner, with opaque parts restored."""
        parts: list[list[str]] = [[] for _ in range(owners)]
        texts = self._texts()
        for index, owner in enumerate(self._owners):
            if owner >= 0:
                original = self._originals[index]
                parts[owner].append(texts[index] if original is None else original)
        return ["".join(chunks) for chunks in parts]
