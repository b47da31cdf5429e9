"""CSV exports as spreadsheets and form services write them: a reader's words arrive whole.

Every tool here writes RFC 4180 CSV: a field holding the delimiter, a quote or a line break is
quoted, and a quote inside it is doubled. What differs is the delimiter (Excel in a Russian
locale writes semicolons), the encoding (Excel's plain "CSV" is windows-1251, "CSV UTF-8"
has a BOM, "Unicode text" is UTF-16 with tabs) and the line ends (CRLF between rows, a bare
LF inside a cell). The bytes below are written out as those tools write them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sovet.inbox import forms
from tests.inbox.conftest import Run
from tests.inbox.test_import import pending

ZONE = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZONE)

# The readers' words every export below carries, exactly as they typed them.
QUOTED = 'Раз, два "три".'
MULTILINE = 'Первая строка, с запятой;\nтут "косяк" вышел\n\nи ещё абзац\tс табуляцией.'
GOOGLE_MAPPING = {"Ваше имя": "author", "Комментарий": "body", "Отметка времени": "date"}


def _cell(text: str) -> str:
    """A field as these tools write it: quoted, with its quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def google_forms() -> bytes:
    """Google Forms' responses sheet downloaded as CSV: UTF-8 without a BOM, commas, CRLF
    between rows, the question titles as the header, quotes only where a field needs them."""
    rows = [
        "Отметка времени,Комментарий,Ваше имя,slug",
        f"21.11.2026 10:15:42,{_cell(QUOTED)},Ольга,first",
        f"21.11.2026 10:17:03,{_cell(MULTILINE)},Антон,first",
        "21.11.2026 10:20:00,Коротко и без кавычек,Вера,first",
    ]
    return ("\r\n".join(rows)).encode("utf-8")


def excel_ru(encoding: str) -> bytes:
    """Excel in a Russian locale: semicolons, CRLF rows, LF inside a cell; "CSV" is
    windows-1251, "CSV UTF-8" the same with a BOM."""
    rows = [
        "slug;body;author;date",
        f"first;{_cell(QUOTED)};Ольга;21.11.2026 10:15",
        f"first;{_cell(MULTILINE)};{_cell('Антон; бухгалтер')};21.11.2026 10:17",
    ]
    text = "\r\n".join(rows) + "\r\n"
    return text.encode("utf-8-sig" if encoding == "utf-8" else encoding)


def excel_unicode_text() -> bytes:
    """Excel's "Unicode text": UTF-16 with a BOM, tab-separated."""
    rows = [
        "slug\tbody\tauthor",
        f"first\t{_cell(QUOTED)}\tОльга",
        f"first\t{_cell(MULTILINE)}\tАнтон",
    ]
    return ("\r\n".join(rows) + "\r\n").encode("utf-16")


def bodies(data: bytes, mapping: dict[str, str] | None = None) -> dict[str, str]:
    found = {}
    for record in forms.read_csv(data):
        made = forms.incoming(record, mapping or {}, ZONE, NOW, "test")
        assert not isinstance(made, str), made
        found[made.submission.author] = made.submission.body
    return found


def test_google_forms_export_keeps_every_quote_and_line() -> None:
    found = bodies(google_forms(), GOOGLE_MAPPING)
    assert found == {"Ольга": QUOTED, "Антон": MULTILINE, "Вера": "Коротко и без кавычек"}


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8"])
def test_excel_export_with_semicolons_keeps_every_quote_and_line(encoding: str) -> None:
    found = bodies(excel_ru(encoding))
    assert found == {"Ольга": QUOTED, "Антон; бухгалтер": MULTILINE}


def test_excel_unicode_text_with_tabs() -> None:
    assert bodies(excel_unicode_text()) == {"Ольга": QUOTED, "Антон": MULTILINE}


def test_rows_keep_their_first_line_number() -> None:
    lines = [r.line for r in forms.read_csv(google_forms())]
    assert lines == [2, 3, 7]  # the second body spans four lines


def test_a_stray_quote_is_an_error_not_a_changed_text() -> None:
    data = 'slug,author,body\r\nfirst,Ольга,"Раз "два" три"\r\n'.encode()
    with pytest.raises(forms.FormatError) as error:
        forms.read_csv(data)
    assert error.value.line == 2 and "not CSV" in str(error.value)


def test_import_stores_the_readers_words_unchanged(site: Path, run: Run, tmp_path: Path) -> None:
    export = tmp_path / "excel.csv"
    export.write_bytes(excel_ru("cp1251"))
    code, out, err = run("import", str(export))
    assert (code, err) == (0, "")
    assert "excel.csv: 2 new" in out
    found = {name: entry.submission.body for name, entry in pending(site).items()}
    assert found == {"Ольга": QUOTED, "Антон; бухгалтер": MULTILINE}
