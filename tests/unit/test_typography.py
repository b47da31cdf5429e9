"""Tests of the typographer: a table of cases, Markdown rendering and properties."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from sovet.typography import typeset_text, typeset_tokens

N = "\u00a0"  # no-break space

CASES: list[tuple[str, str, str]] = [
    # Russian quotes
    ('"слово"', "ru", "«слово»"),
    ('"а "б" в"', "ru", f"«а{N}„б“ в»"),  # the short word «а» also gets its no-break space
    ('"слово "вложенное" слово"', "ru", "«слово „вложенное“ слово»"),
    ('("слово")', "ru", "(«слово»)"),
    ('"слово", сказал он', "ru", "«слово», сказал он"),
    ('"Слово!"', "ru", "«Слово!»"),
    ('Мама ответила: "Нет".', "ru", "Мама ответила: «Нет»."),
    ('""Ромашка" закрыли"', "ru", "«„Ромашка“ закрыли»"),
    ('«слово "вложенное" слово»', "ru", "«слово „вложенное“ слово»"),
    ('"Конец..."', "ru", "«Конец…»"),
    # Russian dashes
    ("слово - слово", "ru", f"слово{N}— слово"),
    ("слово -- слово", "ru", f"слово{N}— слово"),
    ("слово--слово", "ru", f"слово{N}— слово"),
    ("слово — слово", "ru", f"слово{N}— слово"),
    ("Привет, - сказал он.", "ru", f"Привет,{N}— сказал он."),
    ("- Привет", "ru", f"—{N}Привет"),
    ("-- Привет", "ru", f"—{N}Привет"),
    ("Строка\n- Привет", "ru", f"Строка\n—{N}Привет"),
    ("2012-2015", "ru", "2012–2015"),
    ("5-10 лет", "ru", f"5–10{N}лет"),
    ("-5 градусов", "ru", f"-5{N}градусов"),
    # Ellipsis
    ("Ну...", "ru", "Ну…"),
    ("Что?..", "ru", "Что?.."),
    ("Ах!..", "ru", "Ах!.."),
    # No-break space after short words
    ("в доме", "ru", f"в{N}доме"),
    ("Я не знаю", "ru", f"Я{N}не{N}знаю"),
    ("дом и сад", "ru", f"дом и{N}сад"),
    ("НА столе", "ru", f"НА{N}столе"),
    ("из дома по улице до угла", "ru", f"из{N}дома по{N}улице до{N}угла"),
    ("ни рыба ни мясо, но да", "ru", f"ни{N}рыба ни{N}мясо, но{N}да"),
    # No-break space before particles
    ("пришёл бы", "ru", f"пришёл{N}бы"),
    ("знает ли он", "ru", f"знает{N}ли{N}он"),
    ("Тогда ж", "ru", f"Тогда{N}ж"),
    ("он же", "ru", f"он{N}же"),
    # Numbers
    ("27 000", "ru", f"27{N}000"),
    ("1 000 000", "ru", f"1{N}000{N}000"),
    ("10 000 рублей", "ru", f"10{N}000{N}рублей"),
    ("5 %", "ru", f"5{N}%"),
    ("100 руб.", "ru", f"100{N}руб."),
    ("100 ₽", "ru", f"100{N}₽"),
    ("10 км", "ru", f"10{N}км"),
    ("5 млн", "ru", f"5{N}млн"),
    ("2 тыс.", "ru", f"2{N}тыс."),
    ("§ 5", "ru", f"§{N}5"),
    ("№ 5", "ru", f"№{N}5"),
    # Initials and abbreviations
    ("И. И. Иванов", "ru", f"И.{N}И.{N}Иванов"),
    ("Иван К.", "ru", f"Иван{N}К."),
    ("т. е.", "ru", f"т.{N}е."),
    ("т. д.", "ru", f"т.{N}д."),
    ("т. п.", "ru", f"т.{N}п."),
    ("и т. д.", "ru", f"и{N}т.{N}д."),
    ("P. S.", "ru", f"P.{N}S."),
    ("P. P. S.", "ru", f"P.{N}P.{N}S."),
    # Symbols and spaces
    ("(c) Совет", "ru", "© Совет"),
    ("(C) 2024", "ru", "© 2024"),
    ("Марка(r)", "ru", "Марка(r)"),
    ("Марка (R)", "ru", "Марка ®"),
    ("Совет (tm)", "ru", "Совет ™"),
    ("(TM)", "ru", "™"),
    ("+-5", "ru", "±5"),
    ("слово   слово", "ru", "слово слово"),
    # Russian text that must stay untouched
    ("кто-то", "ru", "кто-то"),
    ("из-за", "ru", "из-за"),
    ("во-первых", "ru", "во-первых"),
    ("Санкт-Петербург", "ru", "Санкт-Петербург"),
    ("IT-отдел", "ru", "IT-отдел"),
    ("2+2", "ru", "2+2"),
    ("a-b@c.ru", "ru", "a-b@c.ru"),
    ("https://ex.org/a-b...c", "ru", "https://ex.org/a-b...c"),
    ('"https://ex.org/a--b"', "ru", "«https://ex.org/a--b»"),
    ("27000", "ru", "27000"),
    ("12 34", "ru", "12 34"),
    ("2012–2015", "ru", "2012–2015"),
    ("2012-05-01", "ru", "2012-05-01"),
    ("было -5", "ru", "было -5"),
    ("ls --all", "ru", "ls --all"),
    ("Точка....", "ru", "Точка...."),
    ("f(c)", "ru", "f(c)"),
    ("state-of-the-art e-mail", "ru", "state-of-the-art e-mail"),
    (f"«Ёлочки»{N}— это „лапки“", "ru", f"«Ёлочки»{N}— это „лапки“"),
    (f"и{N}т.{N}д.", "ru", f"и{N}т.{N}д."),
    ("  отступ\n\nабзац", "ru", "  отступ\n\nабзац"),
    # English
    ('"double"', "en", "“double”"),
    ("\"a 'b' c\"", "en", "“a ‘b’ c”"),
    ('"outer "inner" outer"', "en", "“outer ‘inner’ outer”"),
    ("don't", "en", "don’t"),
    ("It's John's", "en", "It’s John’s"),
    ("the '90s", "en", "the ’90s"),
    ("the boys' toys", "en", "the boys’ toys"),
    ('"the boys\' toys"', "en", "“the boys’ toys”"),
    ("word - word", "en", f"word{N}— word"),
    ("word -- word", "en", f"word{N}— word"),
    ("word--word", "en", f"word{N}— word"),
    ("Wait...", "en", "Wait…"),
    ("1990-1995", "en", "1990–1995"),
    ("(c) 2024", "en", "© 2024"),
    ("Mr. Smith", "en", f"Mr.{N}Smith"),
    ("Mrs. Jones and Dr. Who", "en", f"Mrs.{N}Jones and Dr.{N}Who"),
    ("state-of-the-art", "en", "state-of-the-art"),
    ("“already” typeset, don’t", "en", "“already” typeset, don’t"),
    ("в доме", "en", "в доме"),
    # Unknown language: unchanged
    ('"x" - y', "de", '"x" - y'),
    ("", "ru", ""),
]


@pytest.mark.parametrize(("source", "language", "expected"), CASES)
def test_typeset_text(source: str, language: str, expected: str) -> None:
    assert typeset_text(source, language) == expected


@pytest.mark.parametrize(("source", "language", "expected"), CASES)
def test_typeset_text_is_idempotent_on_cases(source: str, language: str, expected: str) -> None:
    assert typeset_text(expected, language) == expected


def test_case_table_is_big_enough() -> None:
    untouched = [case for case in CASES if case[0] == case[2]]
    assert len(CASES) >= 70
    assert len(untouched) >= 15


MD = MarkdownIt("commonmark", {"html": True})


def render(source: str, language: str = "ru", times: int = 1) -> str:
    tokens = MD.parse(source)
    for _ in range(times):
        typeset_tokens(tokens, language)
    html: str = MD.renderer.render(tokens, MD.options, {})
    return html


MARKDOWN_CASES: list[tuple[str, str]] = [
    ('"слово *курсивом*"', "<p>«слово <em>курсивом</em>»</p>\n"),
    ('"**жирный** текст"', "<p>«<strong>жирный</strong> текст»</p>\n"),
    ('"слово "*вложенное*" слово"', "<p>«слово „<em>вложенное</em>“ слово»</p>\n"),
    (
        '"смотри [тут - "там"](http://ex.org/a--b "a - b")"',
        f'<p>«смотри <a href="http://ex.org/a--b" title="a - b">тут{N}— „там“</a>»</p>\n',
    ),
    ('код `"x" - y` тут', "<p>код <code>&quot;x&quot; - y</code> тут</p>\n"),
    ('"`code`"', "<p>«<code>code</code>»</p>\n"),
    ('    "x" - y\n', "<pre><code>&quot;x&quot; - y\n</code></pre>\n"),
    ('```\n"x" - y\n```', "<pre><code>&quot;x&quot; - y\n</code></pre>\n"),
    (
        '<span title="a - b">"x"</span> - да',
        f'<p><span title="a - b">«x»</span>{N}— да</p>\n',
    ),
    ('<div title="a - b">\n"x" - y\n</div>', '<div title="a - b">\n"x" - y\n</div>'),
    ('a <code>"x" - y</code> "z"', "<p>a <code>&quot;x&quot; - y</code> «z»</p>\n"),
    (
        "<https://ex.org/a--b> - ссылка",
        f'<p><a href="https://ex.org/a--b">https://ex.org/a--b</a>{N}— ссылка</p>\n',
    ),
    ("-- Привет, - сказал он.", f"<p>—{N}Привет,{N}— сказал он.</p>\n"),
    ("Мама ушла.\n-- Куда?", f"<p>Мама ушла.\n—{N}Куда?</p>\n"),
    ('строка "один\nдва" и', "<p>строка «один\nдва» и</p>\n"),
    ('"один  \nдва"', "<p>«один<br />\nдва»</p>\n"),
    ('# Заголовок - "вот"', f"<h1>Заголовок{N}— «вот»</h1>\n"),
    ("* в доме\n* и т. д.", f"<ul>\n<li>в{N}доме</li>\n<li>и{N}т.{N}д.</li>\n</ul>\n"),
    ('![alt "x"](i.png) "img"', '<p><img src="i.png" alt="alt &quot;x&quot;" /> «img»</p>\n'),
    # A quotation over several paragraphs: « where it opens, » only where it closes.
    (
        'Он сказал: "Первый абзац.\n\nВторой абзац.\n\nТретий." И ушёл.',
        f"<p>Он{N}сказал: «Первый абзац.</p>\n<p>Второй абзац.</p>\n<p>Третий.» И{N}ушёл.</p>\n",
    ),
    # The convention written out: « opens each quoted paragraph; a quote after it is new.
    (
        '"Первый.\n\n"Второй с "вложенной".\n\n"Третий."\n\nПотом "новая".',
        f"<p>«Первый.</p>\n<p>«Второй с{N}„вложенной“.</p>\n<p>«Третий.»</p>\n"
        "<p>Потом «новая».</p>\n",
    ),
    ('# "Открыта\n\nпосле заголовка "своя"', "<h1>«Открыта</h1>\n<p>после заголовка «своя»</p>\n"),
]


@pytest.mark.parametrize(("source", "expected"), MARKDOWN_CASES)
def test_typeset_tokens(source: str, expected: str) -> None:
    assert render(source) == expected
    assert render(source, times=2) == expected


def test_typeset_tokens_english_and_unknown_language() -> None:
    assert render('"it\'s *mine*" -- he said', "en") == f"<p>“it’s <em>mine</em>”{N}— he said</p>\n"
    assert render('"x" - y', "de") == "<p>&quot;x&quot; - y</p>\n"


def test_typeset_tokens_leaves_linkified_urls() -> None:
    md = MarkdownIt("commonmark", {"linkify": True}).enable("linkify")
    tokens = md.parse("см. ex.org/a--b - тут")
    typeset_tokens(tokens, "ru")
    html: str = md.renderer.render(tokens, md.options, {})
    assert html == f'<p>см. <a href="http://ex.org/a--b">ex.org/a--b</a>{N}— тут</p>\n'


def test_typeset_tokens_footnotes_and_tables() -> None:
    md = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
    tokens = md.parse(
        '"Текст"[^1] тут\n\n| "а" | б - в |\n|---|---|\n| в доме | x |\n\n[^1]: Да - "вот".'
    )
    typeset_tokens(tokens, "ru")
    html: str = md.renderer.render(tokens, md.options, {})
    assert html.startswith('<p>«Текст»<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a>')
    assert f"<th>«а»</th>\n<th>б{N}— в</th>" in html
    assert f"<td>в{N}доме</td>" in html
    assert f"Да{N}— «вот»." in html


# Properties

_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЕЁЖЯ" + "abcdefxyzABCDIST" + "0123456789"
_TEXT = st.text(alphabet=_LETTERS + "    \"'-.,!?()«»\n", max_size=60)
_NO_PARENS = st.text(alphabet=_LETTERS + "    \"'-.,!?)«»\n", max_size=60)
_LANGUAGES = st.sampled_from(["ru", "en"])
_FAST = settings(max_examples=200, deadline=None)


@_FAST
@given(_TEXT, _LANGUAGES)
def test_idempotent(text: str, language: str) -> None:
    once = typeset_text(text, language)
    assert typeset_text(once, language) == once


@_FAST
@given(_NO_PARENS, _LANGUAGES)
def test_letters_and_digits_preserved(text: str, language: str) -> None:
    result = typeset_text(text, language)
    assert [c for c in result if c.isalnum()] == [c for c in text if c.isalnum()]


@_FAST
@given(_TEXT, _LANGUAGES)
def test_newlines_and_markup_characters_preserved(text: str, language: str) -> None:
    result = typeset_text(text, language)
    assert result.count("\n") == text.count("\n")
    for char in "<>&":
        assert result.count(char) == text.count(char)


_WORD = st.text(alphabet="абвгдежзиклмнопрст" + "abcxyz0123", min_size=1, max_size=6)
_PIECE = st.one_of(
    _WORD,
    _WORD.map(lambda w: f"*{w}*"),
    _WORD.map(lambda w: f"**{w}**"),
    _WORD.map(lambda w: f'`{w} - "{w}"`'),
    _WORD.map(lambda w: f"[{w}](http://x.org/a--b)"),
    st.sampled_from(['"', "'", "-", "--", "...", "(c)", "в", "т. е.", "\n", "2012-2015"]),
)
_PARAGRAPH = st.lists(_PIECE, min_size=1, max_size=12).map(" ".join)
_MARKDOWN = st.lists(_PARAGRAPH, min_size=1, max_size=3).map("\n\n".join)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(("start", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(("end", tag, []))


def _tags(html: str) -> list[tuple[str, str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


@settings(max_examples=150, deadline=None)
@given(_MARKDOWN, _LANGUAGES)
def test_markdown_structure_preserved(source: str, language: str) -> None:
    plain = MD.renderer.render(MD.parse(source), MD.options, {})
    once = render(source, language)
    assert _tags(once) == _tags(plain)
    assert once.count("\n") == plain.count("\n")
    assert render(source, language, times=2) == once
