"""A WordPress post's HTML as the Markdown of a question and an answer.

WordPress keeps classic posts as text whose blank lines are paragraphs (its `wpautop` adds the
tags when it shows them), block posts with `<!-- wp:... -->` comments around each block, and
shortcodes in square brackets. Here the paragraphs get their tags, the block comments go,
`[caption]` becomes an image with its caption, other shortcodes stay as text (and are listed),
the letter is told from the answer, and markdownify makes Markdown of the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdownify import markdownify

_BLOCK = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|form|dl|address|section)\b",
    re.IGNORECASE,
)
_GUTENBERG = re.compile(r"<!--\s*/?wp:[^>]*?-->")
_MORE = re.compile(r"<!--\s*more(?:\s[^>]*)?-->", re.IGNORECASE)
_CAPTION = re.compile(r"\[caption\b[^\]]*\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_LINKED_IMAGE = re.compile(r"<a\b[^>]*>\s*<img\b[^>]*>\s*</a>", re.IGNORECASE)
_SHORTCODE = re.compile(r"\[(/?)([a-z][a-z0-9_-]*)\b[^\]\n]*\]", re.IGNORECASE)
_HR = re.compile(r"<hr\b[^>]*>", re.IGNORECASE)
_LEADING_QUOTE = re.compile(r"^\s*<blockquote\b[^>]*>(.*?)</blockquote>(.*)$", re.I | re.S)
_ATTRIBUTE = re.compile(r"""\b(href|src)=(["'])(.*?)\2""", re.IGNORECASE)


@dataclass(frozen=True)
class Split:
    letter: str  # Markdown
    answer: str
    found: bool  # False: no split was found, the whole text is the answer
    shortcodes: tuple[str, ...]  # shortcodes left as text


def autop(text: str) -> str:
    """Classic WordPress text with its paragraphs marked: blank lines end paragraphs, single
    line breaks are breaks, and HTML blocks are left as they are."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    done = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if _BLOCK.match(chunk):
            done.append(chunk)
        else:
            done.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(done)


def _caption(match: re.Match[str]) -> str:
    inner = match.group(1)
    image = _LINKED_IMAGE.search(inner) or _IMAGE.search(inner)
    picture = image.group(0) if image else ""
    caption = (inner.replace(picture, "", 1) if picture else inner).strip()
    return picture + (f"<br>\n<em>{caption}</em>" if caption else "")


def prepared(html: str, relink: Callable[[str], str] | None = None) -> tuple[str, tuple[str, ...]]:
    """A post's HTML made ready for Markdown: paragraphs marked, block comments gone,
    captions as images with captions, every link and image passed through RELINK; and the
    shortcodes left in it."""
    html = _GUTENBERG.sub("", html)
    if "<p" not in html.lower():
        html = autop(html)
    html = _CAPTION.sub(_caption, html)
    if relink is not None:
        html = _ATTRIBUTE.sub(lambda m: f"{m[1]}={m[2]}{relink(m[3])}{m[2]}", html)
    left = tuple(dict.fromkeys(m[2].lower() for m in _SHORTCODE.finditer(html) if not m[1]))
    return html, left


def to_markdown(html: str) -> str:
    """Clean Markdown of HTML (markdownify: the library's rules, ATX headings, '-' lists,
    a line break as a backslash, which no trimming of line ends can lose)."""
    text = markdownify(
        html, heading_style="ATX", bullets="-", escape_misc=False, newline_style="backslash"
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# What Markdown could read as markup, or HTML as a tag or an entity: text without any of it
# is its own Markdown.
_MARKUP = re.compile(r"[<&*_\[\]`\\#>|~]|^\s*(?:\d+[.)]|[-+=])(?:\s|$)", re.MULTILINE)


def text_to_markdown(text: str) -> str:
    """A reader's comment as WordPress keeps it (text, perhaps with a few tags) in Markdown:
    plain text as it is, paragraphs and line breaks kept, without parsing any HTML; the rest
    through markdownify."""
    if _MARKUP.search(text):
        return to_markdown(prepared(text)[0])
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return "\n\n".join(
        "\\\n".join(_SPACES.sub(" ", line).strip(" \t") for line in p.strip().split("\n"))
        for p in paragraphs
        if p.strip()
    )


_SPACES = re.compile(r"[ \t\f]+")  # what HTML shows as one space


def split(html: str, answer_starts: re.Pattern[str] | None) -> tuple[str, str] | None:
    """(letter, answer) as HTML: by the editor's pattern for the answer's first paragraph,
    `<!--more-->`, the first `<hr>`, or a letter quoted in a leading `<blockquote>`."""
    if answer_starts is not None:
        for paragraph in re.finditer(r"<p\b[^>]*>(.*?)</p>", html, re.IGNORECASE | re.DOTALL):
            before = html[: paragraph.start()]
            if answer_starts.search(re.sub(r"<[^>]+>", "", paragraph.group(1))) and before.strip():
                return before, html[paragraph.start() :]
    for marker in (_MORE, _HR):
        if found := marker.search(html):
            before, after = html[: found.start()], html[found.end() :]
            if before.strip() and after.strip():
                return before, after
    quoted = _LEADING_QUOTE.match(html)
    if quoted and quoted.group(1).strip() and quoted.group(2).strip():
        return quoted.group(1), quoted.group(2)
    return None


def post(html: str, answer_starts: re.Pattern[str] | None, relink: Callable[[str], str]) -> Split:
    """A post as a letter and an answer in Markdown (the whole as the answer when no split
    is found)."""
    ready, shortcodes = prepared(html, relink)
    halves = split(ready, answer_starts)
    if halves is None:
        return Split("", to_markdown(_MORE.sub("", ready)), False, shortcodes)
    return Split(to_markdown(halves[0]), to_markdown(halves[1]), True, shortcodes)


_NAME = r"[А-ЯЁA-Z][а-яёa-z]+"
_MORE_NAME = r"(?:\s+(?:[А-ЯЁA-Z]\.|[А-ЯЁA-Z][а-яёa-z]+))"
_PLACE = r"(?:,\s*[^,.!?]{1,25})?"
# A letter's signature: «— Марина», «Марина Л.», «Иван Петров, Казань».
_SIGNATURE = re.compile(
    rf"^(?:[—–-]\s*({_NAME}{_MORE_NAME}{{0,2}}{_PLACE})|({_NAME}{_MORE_NAME}{{1,2}}{_PLACE}))\.?$"
)


def signature(letter: str) -> tuple[str, str]:
    """(letter without its signature, signature): a short last line like «Марина Л.»,
    «— Марина, Москва»; ('', '') for the signature when there is none."""
    lines = letter.rstrip().split("\n")
    last = lines[-1].strip().strip("*_") if lines else ""
    match = _SIGNATURE.match(last)
    if match is None or len(lines) < 2:
        return letter, ""
    return "\n".join(lines[:-1]).rstrip(), (match.group(1) or match.group(2)).strip()
