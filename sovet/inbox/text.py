"""Readers' raw text made safe to store and show: decoded, cleaned, compared by content.

Submissions arrive in whatever encoding a mail client or a spreadsheet chose, with control
characters, bidi overrides and stray whitespace; everything here is pure and total.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata

MAX_NAME = 100  # the comment form's maxlength
CYRILLIC_GUESSES = ("cp1251", "koi8_r")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_LINK_RE = re.compile(r"\b(?:https?|ftp)://|\bwww\.", re.IGNORECASE)
_BIDI = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_SPACES = re.compile(r"\s+")


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text from bytes: the declared charset when it fits, else UTF-8, else the likelier of
    windows-1251 and KOI8-R (correct Cyrillic is mostly lowercase; the wrong one is not)."""
    if declared:
        try:
            return data.decode(_codec(declared))
        except (LookupError, UnicodeDecodeError):
            pass
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    texts = [data.decode(name, "replace") for name in CYRILLIC_GUESSES]
    return max(texts, key=_lowercase_cyrillic)


def _codec(name: str) -> str:
    """Charset labels mail clients write that Python spells differently."""
    name = name.strip().strip('"').lower()
    return {"x-cp1251": "cp1251", "win-1251": "cp1251", "x-koi8-r": "koi8_r"}.get(name, name)


def _lowercase_cyrillic(text: str) -> int:
    return sum(1 for ch in text if "а" <= ch <= "я" or ch == "ё")


def _printable(ch: str) -> bool:
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def _printable_only(line: str) -> str:
    """A line without control or format characters (tabs and soft hyphens stay); most lines
    have none, which str.isprintable tells at C speed."""
    if line.isprintable():
        return line
    return "".join(ch for ch in line if ch in "\t\u00ad" or _printable(ch))


def clean_name(value: str) -> str:
    """A name on one line: no control or format characters, spaces collapsed, length capped."""
    kept = "".join(ch if _printable(ch) else " " for ch in value)
    return _SPACES.sub(" ", kept).strip()[:MAX_NAME].strip()


def clean_body(value: str) -> str:
    """A body as Markdown source: newlines normalised, control characters and bidi overrides
    gone, trailing spaces (accidental hard breaks) stripped, outer blank lines removed."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").translate(_BIDI)
    lines = [_printable_only(line).rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def words(text: str) -> str:
    """Text reduced to what identifies it: case and spacing do not count."""
    return _SPACES.sub(" ", text.casefold()).strip()


def digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def count_links(text: str) -> int:
    return len(_LINK_RE.findall(text))


def redact_address(body: str, address: str, replacement: str) -> str:
    """The reader's own address taken out of the text before it is published."""
    if not address or "@" not in address:
        return body
    return re.sub(re.escape(address), replacement, body, flags=re.IGNORECASE)


def first_line(text: str, limit: int = 70) -> str:
    line = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def first_lines(text: str, count: int, limit: int = 70) -> list[str]:
    """The first COUNT non-blank lines, each cut like first_line."""
    lines = [ln for ln in text.split("\n") if ln.strip()][:count]
    return [first_line(line, limit) for line in lines]


def terminal_safe(text: str) -> str:
    """What may go to a terminal: no escape sequences from a file someone else wrote."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
