"""Letters as readers send them, told apart from comments at import: the ask form's fields in
exports as spreadsheets and form services write them (Excel in windows-1251 and in UTF-8,
Google Forms with its own column titles), and mail as Gmail and Yandex Mail send it.

Every line the reader wrote is kept, the consent line the ask page's mailto link writes is
taken out (and counts as consent), and a letter without consent is flagged, never dropped.
"""

from __future__ import annotations

from pathlib import Path

from sovet.inbox.store import PENDING, Inbox
from sovet.problems import Problems
from sovet.settings import load_settings
from tests.letters.conftest import FIXTURES, Run

EXPECTED = {  # (source file, signature as sent, address, rubric, flags) -> the letter's text
    ("gmail-letter.eml", "Иван Петров", "ivan.petrov@gmail.com", "", ()): (
        "Здравствуйте!\n\nМы небольшая студия, делали сайт для сети пекарен. Проект сдали, акт "
        'подписан, а теперь клиент просит скидку 30 % "в счёт будущих заказов". Как отказать и '
        "не потерять клиента?\n\nЗаранее спасибо,\nИван"
    ),
    ("gmail-tagged.eml", "Ольга Сергеевна Миронова", "o.mironova@gmail.com", "", ()): (
        "Добрый день, Илья!\n\nКак объяснить заказчику, что три круга правок уже включены в "
        'цену, а четвёртый — нет?\nОн отвечает: "мы же договаривались, что будет хорошо".'
    ),
    ("yandex-letter.eml", "Анна", "anna.k@yandex.ru", "", ("consent",)): (
        "Добрый вечер.\n\nЯ фрилансер. Клиент третий месяц не платит за последний этап и "
        "говорит, что «бухгалтерия всё решит». Писать ли претензию?\n\nАнна"
    ),
    ("excel-cp1251.csv", "Мария Соколова", "m.sokolova@example.ru", "negotiations", ()): (
        "Здравствуйте!\n\nКлиент требует исходники макетов; в договоре про них ни слова. "
        'Отдавать "просто так"?'
    ),
    ("excel-cp1251.csv", "SEO", "seo@spam.example", "", ("honeypot", "links")): (
        "Купите наши услуги продвижения http://spam.example/ http://spam.example/2 "
        "http://spam.example/3 http://spam.example/4"
    ),
    ("excel-utf8.csv", "Anna Smith", "anna@example.com", "studio", ()): (
        'Hello,\n\nMy client wants "just one more" round of edits, every week, for free. How do '
        "I stop it?\n\nThanks, Anna"
    ),
    ("google-forms.csv", "Дмитрий, Казань", "dmitry@example.org", "career", ()): (
        "Добрый день! Меня зовут Дмитрий, я дизайнер в агентстве.\nНачальник просит "
        '"немного" поработать в выходные, уже третий месяц подряд. Как сказать "нет", чтобы не '
        "уволили?"
    ),
    ("google-forms.csv", "Елена Викторовна", "", "", ("consent",)): (
        "Можно ли брать с клиента деньги за созвоны?"
    ),
}
DATES = {  # as each tool writes its time: Excel's day.month, US month/day, Google's seconds
    "Мария Соколова": "2026-12-01 10:15",
    "Anna Smith": "2026-12-02 14:20",
    "Дмитрий, Казань": "2026-12-03 11:42",
    "Иван Петров": "2026-12-01 09:12",
}


def stored(site: Path) -> dict[tuple[str, str, str, str, tuple[str, ...]], str]:
    settings = load_settings(site, Problems())
    assert settings is not None
    found = {}
    for entry in Inbox(settings).entries(PENDING, Problems()):
        sub = entry.submission
        assert sub.is_letter and not sub.slug
        source = sub.source.split(": ", 1)[1].split(",")[0]
        found[(source, sub.author, sub.email, sub.rubric, sub.flags)] = sub.body
        if sub.author in DATES:
            assert sub.date.strftime("%Y-%m-%d %H:%M") == DATES[sub.author]
    return found


def test_every_letter_lands_whole_with_its_signature_rubric_and_consent(
    site: Path, run: Run
) -> None:
    code, _, err = run("import", *map(str, sorted(FIXTURES.iterdir())))
    assert code == 0, err
    assert stored(site) == EXPECTED
    # nothing the mailto link wrote is left in a letter
    assert all("согласен(на)" not in body for body in EXPECTED.values())


def test_a_second_import_adds_nothing(site: Path, run: Run) -> None:
    files = list(map(str, sorted(FIXTURES.iterdir())))
    run("import", *files)
    code, out, _ = run("import", *files)
    assert code == 0
    assert "0 new" in out and "new (" not in out
    assert out.count("already in the inbox") == len(files)


def test_the_inbox_lists_letters_as_their_own_group_newest_first(site: Path, run: Run) -> None:
    run("import", *map(str, sorted(FIXTURES.iterdir())))
    code, out, _ = run()
    assert code == 0
    letters = out.split("Letters, newest first")[1]
    order = [name for name in ("Анна", "Дмитрий, Казань", "Мария Соколова") if name in letters]
    assert order == sorted(order, key=letters.index)
    assert letters.index("Анна  NO CONSENT") < letters.index("Дмитрий, Казань  [career]")
    assert letters.index("Дмитрий, Казань") < letters.index("Мария Соколова")
    # the first lines of each letter, and the counts
    assert "Клиент требует исходники макетов; в договоре про них ни слова." in letters
    assert "0 pending · 8 letters (1 flagged)" in out


def test_a_comment_stays_a_comment(site: Path, run: Run, tmp_path: Path) -> None:
    """Mail to the letters' address that names an advice by its tag is a comment on it; a
    form record with a comment's body is a comment whatever else it holds."""
    message = (FIXTURES / "gmail-letter.eml").read_bytes()  # to the letters address
    tagged = message.replace(b"Subject: =?utf-8?", b"X-Old: =?utf-8?", 1)
    comment = tmp_path / "comment.eml"
    comment.write_bytes(b"Subject: Re: [first]\r\n" + tagged)
    form = tmp_path / "comments.csv"
    form.write_text("slug,author,body,consent\nfirst,Ольга,Спасибо!,\n", "utf-8")
    code, _, err = run("import", str(comment), str(form))
    assert code == 0, err
    settings = load_settings(site, Problems())
    assert settings is not None
    entries = Inbox(settings).entries(PENDING, Problems())
    assert [(e.submission.kind, e.submission.slug) for e in entries] == [
        ("comment", "first"),
        ("comment", "first"),
    ]
    assert not any("consent" in e.submission.flags for e in entries)


def test_an_unknown_rubric_is_said_and_the_letter_kept(
    site: Path, run: Run, tmp_path: Path
) -> None:
    form = tmp_path / "ask.csv"
    form.write_text("letter,signature,rubric,consent\nВопрос?,Иван,Бухгалтерия,on\n", "utf-8")
    code, out, _ = run("import", str(form))
    assert code == 0
    assert f"{form}:2: no rubric 'Бухгалтерия' in site.toml: the letter waits without one" in out
    assert "1 new" in out


def test_an_unmapped_form_says_which_field_to_map(site: Path, run: Run) -> None:
    """A Google Form names its columns by its questions: the message shows them and the
    mapping that most likely fits, rather than dropping the letters."""
    toml = site / "site.toml"
    toml.write_text(toml.read_text("utf-8").split("[inbox]")[0], "utf-8")
    code, _, err = run("import", str(FIXTURES / "google-forms.csv"))
    assert code == 1
    assert "google-forms.csv:2: no comment or letter text: no field is 'body' or 'letter'" in err
    assert "'Отметка времени', 'Ваш вопрос', 'Как подписать письмо'" in err
    assert 'map one in [inbox] fields, e.g. fields = { "Ваш вопрос" = "letter" }' in err
