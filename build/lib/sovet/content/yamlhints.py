"""PyYAML's errors in an editor's words: what is wrong on the line, and how to write it.

Editors write front matter by hand, and a handful of mistakes make nearly all of YAML's
errors: a colon inside a headline, a tab, a quote never closed or used inside quotes, a
value that starts with one of YAML's signs ('[', '@', '*', '-'...), a list written as plain
words. Each gets a plain sentence with the corrected line; YAML's own words follow in
brackets for anyone who knows them. Anything else keeps YAML's words alone.
"""

from __future__ import annotations

import re

import yaml

_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]+(\S.*?)\s*$")
_INDENTED_KEY = re.compile(r"^([ \t]+)([A-Za-z_][\w-]*):(?:\s|$)")
_NO_SPACE = re.compile(r"^([A-Za-z_][\w-]*):([^\s/].*)$")
_BARE_WORD = re.compile(r"^[ \t]*([^:#\-\s][^:]*?)\s*$")
_LONGEST = 300  # a line to repeat in a hint
# What YAML reads as a sign rather than text when a value starts with it.
_SIGNS = "[]{}@`%*&!|>?-#,\"'"


def explain(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    """The file's line (front matter starting on line 2) and a message for a YAML error;
    LINES are the front matter's lines."""
    mark = error.problem_mark or error.context_mark
    index = mark.line if mark else 0
    problem = str(error.problem or error.context or "")
    words = f"YAML error: {problem}"
    start = error.context_mark
    if error.problem and error.context and start is not None and start.line != index:
        words += f" ({error.context} that starts on line {start.line + 2})"
    found = _hint(error, problem, lines, index)
    if found is None:
        return index + 2, words
    where, hint = found
    return where + 2, f"{hint} ({words})"


def _hint(
    error: yaml.MarkedYAMLError, problem: str, lines: list[str], index: int
) -> tuple[int, str] | None:
    line = lines[index] if index < len(lines) else ""
    if len(line) > _LONGEST or "nesting depth" in problem:
        return None  # no editor wrote that by hand: YAML's words will do
    context = str(error.context or "")
    start = error.context_mark.line if error.context_mark else index
    if "\t" in line[: (error.problem_mark.column + 1 if error.problem_mark else 0)]:
        return index, "indent with spaces, not tabs"
    if "quoted scalar" in context:
        quote = (lines[start] if start < len(lines) else "").lstrip()
        return start, f"the quote opened on this line is never closed{_also(quote)}"
    if "flow sequence" in context or "flow mapping" in context:
        sign = "]" if "sequence" in context else "}"
        return (
            start,
            f"the list opened on this line is never closed: end it with '{sign}' on this line",
        )
    if problem.startswith("mapping values are not allowed"):
        return _colon(lines, index)
    if problem.startswith("could not find expected ':'"):
        return _bare_word(lines, start, index)
    match = _KEY_VALUE.match(line)
    if match is None:
        return None
    key, value = match[1], match[2]
    if value[0] in "\"'" and value.count(value[0]) > 2:
        inner = value[1:-1] if value.endswith(value[0]) else value[1:]
        return index, (
            "a quote inside a value in quotes ends it early: use «ёлочки» inside, or "
            f"quotes of the other kind around it: {key}: {_around(inner, value[0])}"
        )
    if value[0] in _SIGNS:
        what = " is read as a list, so it" if value[0] == "[" else ""
        return index, (
            f"a value starting with '{value[0]}'{what} must be in quotes: {key}: {quoted(value)}"
        )
    return None


def _colon(lines: list[str], index: int) -> tuple[int, str] | None:
    """`mapping values are not allowed`: a colon in a value, an indented key, or the line
    before missing the space after its colon."""
    line = lines[index] if index < len(lines) else ""
    if indented := _INDENTED_KEY.match(line):
        return index, (
            f"'{indented[2]}' is indented: every key starts at the beginning of its line"
        )
    match = _KEY_VALUE.match(line)
    if match and ": " in match[2]:
        key, value = match[1], match[2]
        return index, f"a {key} with a colon must be in quotes: {key}: {quoted(value)}"
    for before in range(index - 1, -1, -1):
        if glued := _NO_SPACE.match(lines[before]):
            return before, f"put a space after the colon: {glued[1]}: {glued[2]}"
        if lines[before].strip():
            break
    return None


def _bare_word(lines: list[str], start: int, index: int) -> tuple[int, str] | None:
    """`could not find expected ':'`: a line that is not `key: value`, mostly the items of a
    list written one per line without dashes."""
    line = lines[start] if start < len(lines) else ""
    word = _BARE_WORD.match(line)
    if word is None:
        return None
    key = next(
        (m[1] for ln in reversed(lines[:start]) if (m := re.match(r"^([\w-]+):\s*$", ln))),
        "tags",
    )
    return start, (
        f"'{word[1]}' is not a 'key: value' line: write a list as {key}: [one, two], "
        "or put '- ' before each item"
    )


def quoted(value: str) -> str:
    """VALUE as YAML text in quotes, whatever it holds."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return _single(value)


def _single(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _around(value: str, used: str) -> str:
    """VALUE in the quotes it was not written with (the ones it holds stay as they are)."""
    return _single(value) if used == '"' else quoted(value)


def _also(line: str) -> str:
    """The line with its quote closed, as the fix to write."""
    match = _KEY_VALUE.match(line)
    if match is None:
        return ""
    value = match[2].strip("\"'")
    return f": write {match[1]}: {quoted(value)}"
