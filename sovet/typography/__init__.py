"""Typographer: typographic quotes, dashes and no-break spaces for ru and en.

Plain strings go through `typeset_text`; Markdown goes through `typeset_tokens`
on the markdown-it token stream, so code, HTML and URLs are never touched.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it.token import Token

from sovet.typography import en, ru
from sovet.typography.markdown import typeset_stream
from sovet.typography.quotes import QuoteStyle, pair_quotes
from sovet.typography.run import Rule, Run

__all__ = ["typeset_text", "typeset_tokens"]

_LANGUAGES: dict[str, tuple[tuple[Rule, ...], QuoteStyle]] = {
    "ru": (ru.RULES, ru.QUOTES),
    "en": (en.RULES, en.QUOTES),
}


def _typeset_run(
    run: Run, rules: tuple[Rule, ...], quotes: QuoteStyle, open_quotes: list[str] | None = None
) -> None:
    """OPEN_QUOTES: the quotes left open by the paragraphs before this run."""
    # Quotes go last, so they are paired against the final neighbouring characters.
    run.apply(rules)
    run.replace_chars(pair_quotes(run.text, quotes, open_quotes))


@lru_cache(maxsize=65536)
def typeset_text(text: str, language: str) -> str:
    """Typeset a plain string; unknown languages get the text back unchanged.

    Cached: titles and names (a commenter's, the columnist's) repeat across a column."""
    setter = _LANGUAGES.get(language)
    if setter is None or not text:
        return text
    run = Run()
    run.add_text(text, 0)
    run.finish()
    _typeset_run(run, *setter)
    return run.pieces(1)[0]


def typeset_tokens(tokens: list[Token], language: str) -> None:
    """Typeset the text tokens of a markdown-it block stream in place."""
    setter = _LANGUAGES.get(language)
    if setter is None:
        return
    rules, quotes = setter
    typeset_stream(tokens, lambda run, open_quotes: _typeset_run(run, rules, quotes, open_quotes))
