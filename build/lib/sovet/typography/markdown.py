"""Typesetting of markdown-it token streams.

All text tokens of one inline token form one run, so quotes pair across
emphasis and links. Markup tokens and footnote marks are zero-width boundaries;
code, images, autolinks and line breaks become fixed stand-ins that rules see
but never edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.token import Token

from sovet.typography.run import BREAK, PLACEHOLDER, Run

_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")
_VERBATIM = frozenset({"code", "kbd", "samp", "var", "tt", "pre", "script", "style", "math"})
_OBJECTS = frozenset({"img", "input", "video", "audio", "iframe", "object", "embed", "svg"})
_LINE_BREAKS = frozenset({"softbreak", "hardbreak"})
_URL_LINKS = frozenset({"autolink", "linkify"})
_MARKS = frozenset({"footnote_ref", "footnote_anchor"})  # superscripts glued to a word


_QUOTE_BREAKS = frozenset({"heading_open", "fence", "code_block", "hr", "html_block", "table_open"})


def _in_paragraph(tokens: list[Token], index: int) -> bool:
    return index > 0 and tokens[index - 1].type == "paragraph_open"


def _html_role(content: str) -> tuple[str, int]:
    """What raw inline HTML stands for, and how it changes the verbatim depth."""
    match = _TAG.match(content)
    if match is None:
        return "", 0
    closing, name = match[1] == "/", match[2].lower()
    if name == "br":
        return BREAK, 0
    if name in _OBJECTS:
        return PLACEHOLDER, 0
    if name in _VERBATIM and not content.rstrip().endswith("/>"):
        return "", -1 if closing else 1
    return "", 0


def _collect(children: list[Token]) -> tuple[Run, list[Token]]:
    """Build the run of one inline token and list the text tokens it feeds."""
    run = Run()
    targets: list[Token] = []
    protected = 0  # inside an autolink or a raw <code>-like element
    links: list[bool] = []
    for token in children:
        kind = token.type
        if kind == "text":
            if protected:
                run.add_fixed(PLACEHOLDER)
            else:
                run.add_text(token.content, len(targets))
                targets.append(token)
        elif kind == "link_open":
            links.append(token.markup in _URL_LINKS)
            protected += links[-1]
        elif kind == "link_close":
            protected -= links.pop() if links else 0
        elif kind in _LINE_BREAKS:
            run.add_fixed(BREAK)
        elif kind == "html_inline":
            stand_in, depth = _html_role(token.content)
            protected = max(0, protected + depth)
            if stand_in:
                run.add_fixed(stand_in)
        elif kind not in _MARKS and not kind.endswith(("_open", "_close")):
            run.add_fixed(PLACEHOLDER)
    run.finish()
    return run, targets


def typeset_stream(tokens: list[Token], typeset_run: Callable[[Run, list[str]], None]) -> None:
    """Typeset every inline token of a block stream in place.

    Quotes left open at the end of a paragraph stay open into the next paragraphs (a
    quotation over several of them); a heading, a table cell, code or a rule ends them."""
    open_quotes: list[str] = []
    for index, block in enumerate(tokens):
        paragraph = block.type == "inline" and _in_paragraph(tokens, index)
        if block.type in _QUOTE_BREAKS or (block.type == "inline" and not paragraph):
            open_quotes.clear()
        if block.type != "inline" or not block.children:
            continue
        run, targets = _collect(block.children)
        if not targets:
            continue
        typeset_run(run, open_quotes if paragraph else [])
        for token, text in zip(targets, run.pieces(len(targets)), strict=True):
            token.content = text
