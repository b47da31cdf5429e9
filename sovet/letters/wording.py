"""The words a draft advice starts with: a proposed title, the signature, the greeting.

All of them are proposals the columnist edits; they only spare the copying by hand.
"""

from __future__ import annotations

import re

TITLE_LIMIT = 90  # characters; a longer first sentence is cut at a word and given "…"

# A letter's opening line that greets rather than asks: "Здравствуйте!", "Добрый день, Илья!",
# "Hello Ilya,". Only a short line is taken for one.
_GREETING = re.compile(
    r"^(?:здравствуй(?:те)?|добр(?:ый|ое|ого)\s+(?:день|дня|вечер|вечера|утро|утра|времени)"
    r"|доброго\s+(?:дня|вечера|утра|времени)|привет(?:ствую)?|уважаем(?:ый|ая|ые)"
    r"|дорог(?:ой|ая|ие)|hello|hi|hey|dear|good\s+(?:morning|afternoon|evening)|greetings)\b",
    re.IGNORECASE,
)
_GREETING_LONGEST = 80
_GREETING_REST = re.compile(r"^[^,!.]*[,!.]\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”)]*\s+(?=[\"«“(—–-]?[A-ZА-ЯЁ0-9])")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MARKUP = re.compile(r"^(?:\s*(?:>|#+|[-*+]|\d+[.)])\s+)+")
_NAME = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?$")
_INITIAL = re.compile(r"^[A-ZА-ЯЁ]\.$")
_PATRONYMIC = re.compile(r"(?:ович|евич|ич|овна|евна|ична|инична)$")


def proposed_title(letter: str) -> str:
    """The letter's first sentence after any greeting, as a headline to edit."""
    text = _TAG.sub("", letter)  # a reader's raw HTML is shown as text, not as a headline
    paragraphs = [
        " ".join(_MARKUP.sub("", line).strip() for line in block.split("\n")).strip()
        for block in re.split(r"\n\s*\n", text)
    ]
    sentences = [s for p in paragraphs if p for s in _SENTENCE_END.split(p) if s.strip()]
    if sentences:
        sentences[0] = _without_greeting(sentences[0])
    sentence = next((s.strip() for s in sentences if s.strip()), "")
    sentence = sentence if sentence.endswith("...") else sentence.rstrip(".").rstrip()
    if len(sentence) <= TITLE_LIMIT:
        return sentence
    cut = sentence[:TITLE_LIMIT].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def _without_greeting(sentence: str) -> str:
    """The first sentence without the greeting that opens it: all of it when it is only a
    greeting ("Добрый день, Илья!"), else the words after it ("Здравствуйте, у нас…")."""
    if not _GREETING.match(sentence):
        return sentence
    short = len(sentence) <= _GREETING_LONGEST and not sentence.rstrip().endswith("?")
    if short and (sentence.rstrip()[-1:] in "!," or len(sentence.split()) <= 4):
        return ""  # nothing but the greeting
    rest = _GREETING_REST.split(sentence, maxsplit=1)
    if len(rest) < 2 or not rest[1]:
        return ""
    return rest[1][:1].upper() + rest[1][1:]


def short_signature(name: str) -> str:
    """A full name as columns sign letters, the first name and the last one's initial:
    'Иван Петров' -> 'Иван П.', 'Иван Петрович Сидоров' -> 'Иван С.', 'Сидоров Иван
    Петрович' -> 'Иван С.'. Anything else is kept as the reader wrote it ('Иван К.',
    'Менеджер из Казани', 'anna')."""
    parts = name.split()
    if not 2 <= len(parts) <= 3 or not all(_NAME.match(p) for p in parts):
        return name
    if len(parts) == 2:
        if _PATRONYMIC.search(parts[1]):
            return name  # "Иван Петрович": no last name to shorten
        return f"{parts[0]} {parts[1][0]}."
    if _PATRONYMIC.search(parts[2]) and not _PATRONYMIC.search(parts[1]):
        return f"{parts[1]} {parts[0][0]}."  # last name first, as in forms
    return f"{parts[0]} {parts[2][0]}."


def first_name(signature: str) -> str:
    """The name a greeting uses, when the signature is a name: 'Иван К.' -> 'Иван';
    '' for 'Менеджер из Казани' or an empty signature."""
    parts = signature.split()
    if not parts or len(parts) > 3 or not _NAME.match(parts[0]):
        return ""
    if not all(_NAME.match(p) or _INITIAL.match(p) for p in parts[1:]):
        return ""
    if len(parts) == 3 and _PATRONYMIC.search(parts[2]) and not _PATRONYMIC.search(parts[1]):
        return parts[1]
    return parts[0]
