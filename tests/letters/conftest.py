"""A column that takes letters: the ask form, the letters' address, three rubrics, and the
names a Google Form gives its questions mapped to the ask form's fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import advice_files, write_files
from tests.inbox.conftest import Run, run  # `run` reaches this folder's `site`

__all__ = ["Run", "run"]

FIXTURES = Path(__file__).resolve().parent / "fixtures"
READERS = (
    "ivan.petrov@gmail.com",
    "o.mironova@gmail.com",
    "anna.k@yandex.ru",
    "m.sokolova@example.ru",
    "anna@example.com",
    "dmitry@example.org",
)

SITE_TOML = """\
title = "Пятничный совет"
base_url = "https://sovet.example.org/"
language = "ru"
timezone = "Europe/Moscow"
columnist = "Илья Кравец"

[rubrics.negotiations]
title = "Переговоры и отношения с клиентом"
signature = "Это был пятничный совет по переговорам. Присылайте вопросы."

[rubrics.studio]
title = "Жизнь студии"
signature = "Это был совет о жизни студии."

[rubrics.career]
title = "Карьера дизайнера"
signature = "Это был совет о карьере."

[comments]
form_action = "https://forms.example.org/comments"
email = "sovet@example.org"

[letters]
form_action = "https://forms.example.org/letters"
address = "letters@sovet.example.org"
about = "Пишите о клиентах - мы читаем каждое письмо."

[inbox]
fields = { "Ваш вопрос" = "letter", "Как подписать письмо" = "signature", "Адрес электронной почты" = "email", "Рубрика" = "rubric", "Согласие" = "consent" }
"""


def letters_site(root: Path, toml: str = SITE_TOML) -> Path:
    return write_files(root, {"site.toml": toml, **advice_files("first")})


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return letters_site(tmp_path / "site")
