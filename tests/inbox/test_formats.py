"""Intake formats one by one: encodings, CSV dialects, JSON shapes, mail parts, quote cutting."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sovet.inbox import forms, mail
from sovet.inbox.htmltext import html_to_text
from sovet.inbox.submission import Submission
from sovet.inbox.text import clean_body, clean_name, count_links, decode_bytes
from tests.inbox.conftest import FIXTURES

ZONE = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZONE)
ADVICES = {"first": "Первый совет", "second": "Сдали проект, а оплаты нет"}
TEXT = "Ёжик в тумане: съешь же ещё этих мягких французских булок"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "koi8_r"])
def test_cyrillic_in_any_encoding_decodes(encoding: str) -> None:
    assert decode_bytes(TEXT.encode(encoding)) == TEXT


def test_a_wrong_declared_charset_falls_back_to_guessing() -> None:
    assert decode_bytes(TEXT.encode("cp1251"), "utf-8") == TEXT
    assert decode_bytes(TEXT.encode("koi8_r"), "no-such-charset") == TEXT
    assert decode_bytes(TEXT.encode("cp1251"), "x-cp1251") == TEXT


def test_names_and_bodies_are_cleaned() -> None:
    assert clean_name("  Ольга\n\t\x1b[31mП.\u202e ") == "Ольга [31mП."
    assert clean_name("я" * 300) == "я" * 100
    body = clean_body("\r\n\r\nСтрока  \r\nвторая\x00\x07 \u202eтретья\r\n\r\n")
    assert body == "Строка\nвторая третья"


def test_links_are_counted() -> None:
    assert count_links("см. http://a.example, https://b.example/x и www.c.example") == 3
    assert count_links("example.org и почта a@b.example") == 0


def records(name: str) -> list[forms.Record]:
    data = (FIXTURES / name).read_bytes()
    return forms.read_json(data) if name.endswith(".json") else forms.read_csv(data)


def submission(record: forms.Record, mapping: dict[str, str] | None = None) -> Submission:
    made = forms.incoming(record, mapping or {}, ZONE, NOW, "test")
    assert not isinstance(made, str), made
    return made.submission


def test_csv_with_bom_quotes_and_multiline_cells() -> None:
    rows = records("form.csv")
    assert len(rows) == 8
    first = submission(rows[0])
    assert (first.slug, first.reply_to, first.author) == ("first", "olga-1", "Антон Сергеевич")
    assert first.body.startswith('Согласен с "Ольгой"') and "\n\nПроверено" in first.body
    assert first.date == dt.datetime(2026, 11, 21, 9, 15, tzinfo=ZONE)
    assert rows[0].line == 2 and rows[1].line == 5  # the first body spans three lines


def test_csv_in_cp1251_with_semicolons() -> None:
    (row,) = records("form-cp1251.csv")
    made = submission(row)
    assert made.author == "Мария Ёлкина"
    assert made.body == "Мы выставляем счёт до сдачи — и спим спокойно."
    assert made.date == dt.datetime(2026, 11, 21, 10, 5, tzinfo=ZONE)


def test_csv_in_koi8_r_with_a_unix_time() -> None:
    (row,) = records("form-koi8.csv")
    made = submission(row)
    assert (made.slug, made.author) == ("second", "Пётр")
    assert made.date == dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)


def test_json_export_with_nested_data_and_mapped_names() -> None:
    rows = records("service.json")
    made = submission(rows[0], {"name": "author", "message": "body"})
    assert made.author == "Светлана" and made.body == "Предоплата 50\u00a0% спасает нервы."
    assert made.date == dt.datetime(2026, 11, 21, 10, 30, tzinfo=ZONE)
    unmapped = forms.incoming(rows[0], {}, ZONE, NOW, "test")
    assert isinstance(unmapped, str) and "[inbox] fields" in unmapped


def test_json_lines_and_single_objects() -> None:
    lines = (
        b'{"slug": "a", "author": "A", "body": "x"}\n{"slug": "b", "author": "B", "body": "y"}\n'
    )
    assert [r.values["slug"] for r in forms.read_json(lines)] == ["a", "b"]
    assert len(forms.read_json(b'{"slug": "a", "body": "x"}')) == 1
    with pytest.raises(forms.FormatError):
        forms.read_json(b"[1, 2")


def test_a_missing_date_is_the_import_time_and_a_bad_one_is_reported() -> None:
    record = forms.Record({"body": "x", "date": "вчера"}, 2, "line 2")
    made = forms.incoming(record, {}, ZONE, NOW, "test")
    assert not isinstance(made, str)
    assert made.submission.date == NOW and "вчера" in made.warnings[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-21T09:15:00Z", dt.datetime(2026, 11, 21, 12, 15, tzinfo=ZONE)),
        ("2026-11-21 09:15", dt.datetime(2026, 11, 21, 9, 15, tzinfo=ZONE)),
        ("21.11.2026 09:15", dt.datetime(2026, 11, 21, 9, 15, tzinfo=ZONE)),
        ("11/21/2026 09:15:00", dt.datetime(2026, 11, 21, 9, 15, tzinfo=ZONE)),
        ("1795248000000", dt.datetime(2026, 11, 21, 11, 0, tzinfo=ZONE)),
        ("Sat, 21 Nov 2026 09:15:00 +0300", dt.datetime(2026, 11, 21, 9, 15, tzinfo=ZONE)),
        ("не дата", None),
    ],
)
def test_moments_as_services_write_them(text: str, expected: dt.datetime | None) -> None:
    assert forms.parse_moment(text, ZONE) == expected


def message(name: str) -> Submission:
    made = mail.incoming((FIXTURES / name).read_bytes(), ADVICES, ZONE, NOW, name)
    assert not isinstance(made, str), made
    return made.submission


def test_utf8_mail_names_advice_and_reply_in_the_subject() -> None:
    made = message("utf8.eml")
    assert (made.slug, made.reply_to, made.author, made.email) == (
        "first",
        "olga-1",
        "Ирина",
        "irina@example.org",
    )
    assert made.body == "Ольга, а если клиент не берёт трубку?\nТогда пишу коротко и по делу."
    assert made.date == dt.datetime(2026, 11, 21, 12, 40, tzinfo=ZONE)


def test_koi8_quoted_printable_mail_with_an_address_tag() -> None:
    made = message("koi8-qp.eml")
    assert (made.slug, made.author) == ("second", "Геннадий Ткачёв")
    assert made.body == "Договор - это не бюрократия.\nЭто наша страховка."
    assert made.subject == "Мой ответ"


def test_cp1251_base64_mail_found_by_its_title() -> None:
    made = message("cp1251-base64.eml")
    assert (made.slug, made.author) == ("second", "Зоя Белова")
    assert made.body == "Сдали макеты — выставили счёт в тот же день."


def test_html_only_mail_becomes_text() -> None:
    made = message("html-only.eml")
    assert made.slug == "first" and made.author == "Leo"
    assert made.body == (
        "Спасибо за\u00a0совет!\n\nРаботает всегда.\nПодробнее: заметка (https://example.org/note)"
    )


def test_raw_8bit_headers_are_guessed() -> None:
    made = message("raw-8bit.eml")
    assert (made.slug, made.author) == ("second", "Кирилл")
    assert made.body.startswith("Пишу из старого почтовика")


def test_an_mbox_holds_several_messages() -> None:
    data = (FIXTURES / "mailbox.mbox").read_bytes()
    found = list(mail.messages_in(FIXTURES / "mailbox.mbox", data))
    assert [where for where, _ in found] == ["message 1", "message 2", "message 3"]
    bodies = []
    for _, raw in found:
        made = mail.incoming(raw, ADVICES, ZONE, NOW, "mbox")
        assert not isinstance(made, str)
        bodies.append(made.submission)
    assert bodies[1].body == "Нина: всё верно.\nFrom the start - так и надо.\nКонец."
    assert (bodies[2].slug, bodies[2].author) == ("first", "Олег")
    assert bodies[2].body == "Олег пишет: восьмибитный KOI8-R в mbox."


def test_an_address_as_the_name_is_not_kept() -> None:
    raw = b"From: olga@example.org <olga@example.org>\nSubject: [first]\n\nText\n"
    made = mail.incoming(raw, ADVICES, ZONE, NOW, "x")
    assert not isinstance(made, str) and made.submission.author == ""


@pytest.mark.parametrize(
    "tail",
    [
        "On Sat, Nov 21, 2026 at 10:00 AM Sovet <sovet@example.org> wrote:\n> old\n> text",
        "On Sat, Nov 21, 2026 at 10:00 AM Sovet <\nsovet@example.org> wrote:\n\n> old",
        "сб, 21 нояб. 2026 г. в 10:00, Пятничный совет <sovet@example.org>:\n> старое",
        "21.11.2026 10:00, Совет пишет:\n> старое",
        "20 нояб. 2026 г., в 12:40, Иван <ivan@example.org> написал(а):\n\nстарое",
        "-----Original Message-----\nFrom: Sovet\nSent: today\n\nold",
        "----- Исходное сообщение -----\nстарое",
        "От: Пятничный совет\nОтправлено: 20 ноября 2026 г. 10:00\nКому: Зоя\n\nстарое",
        "-- \nИрина\n+7 900 000-00-00",
        "Отправлено с iPhone",
        "> только цитата в конце",
    ],
)
def test_quotes_and_signatures_are_cut(tail: str) -> None:
    assert mail.cut_reply(f"Мой ответ.\nВторая строка.\n\n{tail}\n") == (
        "Мой ответ.\nВторая строка."
    )


def test_the_readers_own_colons_stay_and_quotes_go_wherever_they_stand() -> None:
    text = "> Цитата из совета\n\nС этим согласна.\nКлиент мне написал:\nвсё отлично.\nКонец"
    assert mail.cut_reply(text) == text.split("\n\n", 1)[1]
    under = "Суббота, 21 ноября 2026, 10:15 +03:00 от Иван <ivan@example.org>:\n> Вопрос?\n\nОтвет.\n\n> Ещё?\nДа."
    assert mail.cut_reply(under) == "Ответ.\n\nДа."


def test_cutting_quotes_is_linear_in_the_message() -> None:
    """Looking ahead for the next line is made once; a long message is not walked per line."""
    lines = ["> цитата", "", "строка читателя"] * 50_000
    assert mail.cut_reply("\n".join(lines)).count("строка читателя") == 50_000


def test_html_text_marks_quotes_and_skips_scripts_and_styles() -> None:
    source = (
        "<style>p{}</style><p>Раз &amp; два</p><script>alert(1)</script>"
        "<blockquote>старое<blockquote>ещё старее</blockquote></blockquote>"
        "<div>три<br>четыре</div><div>пять</div><div><br></div><div>шесть</div>"
    )
    assert html_to_text(source) == (
        "Раз & два\n\n> старое\n\n> > ещё старее\n\nтри\nчетыре\nпять\n\nшесть"
    )
