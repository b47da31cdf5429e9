"""The proposals of a draft advice: a title from the letter's first sentence after its
greeting, the signature as columns sign letters, the name the greeting uses."""

from __future__ import annotations

import pytest

from sovet.letters.wording import first_name, proposed_title, short_signature


@pytest.mark.parametrize(
    ("letter", "title"),
    [
        (
            "Здравствуйте!\n\nКлиент просит скидку после сдачи. Что делать?",
            "Клиент просит скидку после сдачи",
        ),
        (
            "Добрый день, Илья! Как отказать клиенту, который звонит ночью? Он платит.",
            "Как отказать клиенту, который звонит ночью?",
        ),
        ("Здравствуйте, у нас проблема с клиентом.", "У нас проблема с клиентом"),
        ("Уважаемая редакция!\nУ нас вопрос про сроки.", "У нас вопрос про сроки"),
        ("Hello,\n\nHow do I say no to a client? He pays well.", "How do I say no to a client?"),
        ("Hi Ilya, my client never pays on time.", "My client never pays on time"),
        (
            "Клиент пишет «срочно» (т. е. вчера) и ждёт ответа в 23:00.",
            "Клиент пишет «срочно» (т. е. вчера) и ждёт ответа в 23:00",
        ),
        ("Как отказать клиенту <b>ночью</b>?", "Как отказать клиенту ночью?"),
        (
            "Мы студия из трёх человек, и у нас такая ситуация: заказчик полгода не принимает "
            "работу по сайту, каждый раз находит новые замечания, а оплату не переводит.",
            "Мы студия из трёх человек, и у нас такая ситуация: заказчик полгода не принимает работу…",
        ),
        ("Привет", ""),
    ],
)
def test_the_title_is_the_first_sentence_after_the_greeting(letter: str, title: str) -> None:
    assert proposed_title(letter) == title


@pytest.mark.parametrize(
    ("signed", "shown", "name"),
    [
        ("Иван Петров", "Иван П.", "Иван"),
        ("Иван Петрович Сидоров", "Иван С.", "Иван"),
        ("Сидоров Иван Петрович", "Иван С.", "Иван"),
        ("Anna Smith", "Anna S.", "Anna"),
        ("Анна-Мария Иванова", "Анна-Мария И.", "Анна-Мария"),
        ("Иван К.", "Иван К.", "Иван"),  # already as columns sign
        ("Елена Викторовна", "Елена Викторовна", "Елена"),  # no last name to shorten
        ("Дмитрий, Казань", "Дмитрий, Казань", ""),  # the reader's own choice
        ("Менеджер из Казани", "Менеджер из Казани", ""),
        ("anna", "anna", ""),
    ],
)
def test_a_full_name_is_shortened_and_anything_else_kept(
    signed: str, shown: str, name: str
) -> None:
    assert short_signature(signed) == shown
    assert first_name(shown) == name
