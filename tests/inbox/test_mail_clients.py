"""Replies as mail clients write them: the reader's every line kept, what they quoted dropped.

The messages in mail_clients/ are shaped as each client sends them: Gmail (multipart, base64
text and quoted-printable HTML, its attribution line wrapped), Outlook (windows-1251, the
earlier message under a block of From/Sent/To headers without '>' marks, or under
"-----Original Message-----"), Apple Mail and the iPhone (the attribution itself quoted),
Thunderbird (format=flowed) and Yandex Mail (HTML only, base64). Top-posted, bottom-posted
and interleaved.
"""

from __future__ import annotations

import datetime as dt
import email.policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sovet.inbox import mail
from sovet.inbox.htmltext import html_to_text
from sovet.inbox.text import clean_body, decode_bytes

CLIENTS = Path(__file__).resolve().parent / "mail_clients"
ZONE = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZONE)
ADVICES = {"second": "Сдали проект, а оплаты нет"}

EXPECTED = {
    "gmail-top.eml": (
        "Марина Л.",
        "Ольга, спасибо! Звонок сработал.\nКлиент заплатил в тот же день.",
    ),
    "gmail-bottom.eml": ("Павел", "А я отвечу снизу, под письмом.\nМы берём предоплату 50 %."),
    "gmail-interleaved.eml": (
        "Денис",
        "Согласен, но как быть с крупным клиентом?\n\nЗвонить страшно. Но попробую.",
    ),
    "outlook-top.eml": (
        "Игорь Смирнов",
        "Добрый день!\n\nМы выставляем счёт в день сдачи, это работает.\n\n"
        "С уважением,\nИгорь Смирнов",
    ),
    "outlook-original.eml": ("Helen Ward", "We invoice on delivery day. It works.\n\nHelen"),
    "apple-bottom.eml": ("Анна Котова", "Пишу под цитатой, как привыкла.\nСпасибо за совет!"),
    "iphone-top.eml": ("Света", "Согласна на все сто."),
    "thunderbird-bottom.eml": (
        "Михаил",
        "Отвечаю под цитатой, как принято в рассылках. Мы тоже ждали оплаты два месяца, и "
        "помог только звонок.\n\\>стрелка в начале строки — мои слова, не цитата.",
    ),
    "yandex-bottom.eml": ("Кира", "Пишу ниже цитаты.\nСчёт — в день сдачи!"),
    "yandex-top.eml": ("Глеб", "Коротко: помогло!"),
}


def test_every_client_is_covered() -> None:
    assert sorted(p.name for p in CLIENTS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_readers_lines_are_kept_and_the_quote_dropped(name: str) -> None:
    made = mail.incoming((CLIENTS / name).read_bytes(), ADVICES, ZONE, NOW, name)
    assert not isinstance(made, str), made
    author, body = EXPECTED[name]
    assert (made.submission.slug, made.submission.author) == ("second", author)
    assert made.submission.body == body


@pytest.mark.parametrize(
    "name", ["gmail-top.eml", "gmail-bottom.eml", "gmail-interleaved.eml", "outlook-top.eml"]
)
def test_the_html_part_gives_the_same_words(name: str) -> None:
    """A client that sends only HTML (or a reader whose plain part is empty) loses nothing."""
    message = BytesParser(policy=email.policy.default).parsebytes((CLIENTS / name).read_bytes())
    assert isinstance(message, EmailMessage)
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    html = decode_bytes(payload, part.get_content_charset())
    assert clean_body(mail.cut_reply(html_to_text(html))) == EXPECTED[name][1]


def test_format_flowed_joins_soft_breaks_and_unstuffs() -> None:
    text = "Первая часть \r\nвторая часть.\r\n >не цитата\r\n>> глубокая \r\n>> цитата\r\n"
    assert mail.unflow(text) == "Первая часть вторая часть.\n\\>не цитата\n> > глубокая цитата\n"
    assert mail.unflow("слово \r\nслово", delsp=True) == "словослово"
