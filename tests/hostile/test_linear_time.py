"""A reader's text costs time in proportion to its length, whatever its shape.

Every shape below once took time growing with the square of its length somewhere between a
reader's bytes and a page (17 s for one comment of 50 000 characters). Each is fed at the size
limit and timed against a plain text of the same size through the same path: a ratio, so the
test says the same on a fast machine and a slow one. Linear work stays within a few dozen
times the plain text's (some shapes are simply busier per character); quadratic work at this
size is thousands of times.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sovet.inbox import mail, page
from sovet.inbox.intake import MAX_BODY
from sovet.inbox.store import PENDING, Inbox
from sovet.inbox.submission import Submission
from sovet.markdown import one_space, render_editor, render_reader
from sovet.problems import Problems
from sovet.render.plaintext import LinkRefs, html_to_text
from sovet.settings import load_settings
from tests.inbox.conftest import inbox_site

RATIO = 60
ZONE = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZONE)
PLAIN = "Мы выставляем счёт в день сдачи проекта, и это работает. Клиенты платят вовремя.\n\n"


def plain(size: int) -> str:
    return (PLAIN * (size // len(PLAIN) + 1))[:size]


def cost(work: Callable[[], object]) -> float:
    """The best of three runs: what the work costs when nothing else gets in the way."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def assert_proportional(shaped: Callable[[], object], same_size: Callable[[], object]) -> None:
    ratio = cost(shaped) / max(cost(same_size), 1e-4)
    assert ratio < RATIO, f"{ratio:.0f} times a plain text of the same size"


N = MAX_BODY
SHAPES = {
    "letters then ' @'": "a" * (N - 2) + " @",
    "letters then ' ://'": "a" * (N - 4) + " ://",
    "letters then '://'": "a" * (N - 3) + "://",
    "letters then 'a@'": "a" * (N - 3) + "a@b",
    "dots before an address": "a." * (N // 2 - 2) + "@b",
    "addresses without schemes": "a://b " * (N // 6),
    "links": "http://example.org/x " * (N // 21),
    "at signs": "@a" * (N // 2),
    "quotes": '"' * N,
    "no-break spaces": "а\u00a0" * (N // 2),
    "guillemets": "«»" * (N // 2),
    "signs U+00A0-U+00BF": "©°§±" * (N // 4),
    "initials": "А. " * (N // 3),
    "short words": "в и к " * (N // 6),
    "particles": "ли ж б же " * (N // 10),
    "spaced dashes": "а — " * (N // 4),
    "runs of spaces and tabs": "а  \t " * (N // 5),
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_a_comment_renders_in_time_proportional_to_its_length(shape: str) -> None:
    text = SHAPES[shape]
    assert len(text) <= N
    same = plain(len(text))
    assert_proportional(
        lambda: render_reader(text, "ru", True), lambda: render_reader(same, "ru", True)
    )


def test_an_imported_answer_of_thousands_of_links_finds_their_lines_in_linear_time() -> None:
    """Each link's line is found as the body is rendered (for the link check): an archive's
    answer of 40 000 links, one a line, costs what its text costs, not links times lines."""
    links = "".join(f"[ответ {n}](/advice/{n:05}/)\n" for n in range(40_000))
    rendered = render_editor(links, "ru", True, first_line=4)
    assert rendered.link_lines[:2] == (4, 5) and rendered.link_lines[-1] == 40_003
    same = plain(len(links))
    assert_proportional(
        lambda: render_editor(links, "ru", True), lambda: render_editor(same, "ru", True)
    )


def message(subject: str, body: str) -> bytes:
    return (
        f"From: Ольга <olga@example.org>\nSubject: {subject}\n"
        f"Content-Type: text/plain; charset=utf-8\n\n{body}\n"
    ).encode()


def incoming(data: bytes) -> Callable[[], object]:
    return lambda: mail.incoming(data, {}, ZONE, NOW, "test")


def test_cutting_quotes_from_a_long_mail_is_linear() -> None:
    lines = "> цитата\n\nстрока читателя\n" * 40_000
    assert_proportional(incoming(message("x", lines)), incoming(message("x", plain(len(lines)))))


def test_a_long_line_in_a_mail_is_linear() -> None:
    line = "a" * 20_000 + " <olga@example.org> wrote:\n> цитата"
    assert_proportional(incoming(message("x", line)), incoming(message("x", plain(len(line)))))


def test_a_subject_of_many_encoded_words_is_cut_before_it_is_decoded() -> None:
    subject = " ".join(["=?utf-8?B?0JA=?="] * 80_000)
    same = message("x", plain(len(subject)))
    assert_proportional(incoming(message(subject, "Текст.")), incoming(same))


def test_the_inbox_page_with_hostile_submissions_is_linear(tmp_path: Path) -> None:
    """Three pending submissions at the size limit: the page renders each on every load."""
    pages = []
    for name, texts in (("hostile", list(SHAPES.values())[:3]), ("plain", [plain(N)] * 3)):
        site = inbox_site(tmp_path / name)
        settings = load_settings(site, Problems())
        assert settings is not None
        inbox = Inbox(settings)
        for number, text in enumerate(texts):
            inbox.write(Submission("first", f"Читатель {number}", "", NOW, text, "test"), PENDING)
        pages.append(lambda settings=settings: page.render(settings, None, None, "token"))
    assert_proportional(pages[0], pages[1])


# What the letters' text part and the feeds' summaries make of a reader's words (and of an
# answer, ten times a comment's limit here: copying a text once per space would still look
# linear at a comment's size): whitespace flattened (runs halved a pass at a time) and lines
# cut at the last space that fits.
LONG = 10 * N
FLAT_SHAPES = {
    "one long word": "а" * LONG,
    "spaces": " " * LONG,
    "line breaks": "\n" * LONG,
    "a word a line": "а\n" * (LONG // 2),
    "runs of mixed whitespace": "а \t\r\n\f\v  " * (LONG // 9),
    "words longer than a line": ("а" * 80 + " ") * (LONG // 81),
}


@pytest.mark.parametrize("shape", FLAT_SHAPES, ids=list(FLAT_SHAPES))
def test_a_readers_words_flatten_and_wrap_in_time_proportional_to_their_length(
    shape: str,
) -> None:
    text = FLAT_SHAPES[shape]
    same = plain(len(text))
    refs = LinkRefs()
    assert_proportional(lambda: one_space(text), lambda: one_space(same))
    assert_proportional(
        lambda: html_to_text(f"<p>{text}</p>", refs), lambda: html_to_text(f"<p>{same}</p>", refs)
    )
    wrapped = html_to_text(f"<p>{text}</p>", refs)
    assert wrapped.split() == text.split()  # every word kept, none cut
