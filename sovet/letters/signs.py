"""How a letter is told from a comment at intake, and what it carries besides its text.

The ask form posts `letter` (a comment posts `body`), a `signature`, an optional `rubric` and
a `consent` box. Mail is a letter when it goes to `[letters] address` or its subject carries
the tag `[вопрос]`, unless it names an advice (then it is a comment on it); the ask page's
mailto link writes the consent line into the message, and a letter without it is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from ..i18n import N_
from ..inbox.text import words
from ..render.theme import site_translations
from ..settings import Settings

DEFAULT_TAG = {"ru": "вопрос", "en": "question"}
CONSENT_LINE = N_("I agree that the column may publish my letter, edited, without my address.")
NO = frozenset({"", "no", "нет", "false", "0", "off", "n", "н", "unchecked"})


def tag(settings: Settings) -> str:
    """The subject tag's word: [letters] tag, or the language's default."""
    return str(settings.letters["tag"]) or DEFAULT_TAG.get(settings.language, "question")


def consent_line(settings: Settings) -> str:
    """The consent line the ask page's mailto link writes, in the site's language."""
    return site_translations(settings).gettext(CONSENT_LINE)


def ask_mailto(settings: Settings) -> str:
    """The ask page's mailto link: the letters' address, the subject with its tag, and the
    consent line under the space for the letter (RFC 6068: CRLF, everything encoded)."""
    subject = quote(f"{settings.title} [{tag(settings)}]", safe="")
    body = quote("\r\n\r\n\r\n" + consent_line(settings), safe="")
    address = quote(str(settings.letters["address"]), safe="@")
    return f"mailto:{address}?subject={subject}&body={body}"


@dataclass(frozen=True)
class Signs:
    """What marks a letter in this column, read from its settings once per import."""

    address: str  # casefolded; "" when mail to no address is a letter by it
    tag: str  # "[вопрос]", casefolded
    consent: tuple[str, ...]  # the consent line in the site's language and in English
    rubrics: dict[str, str]  # a rubric's key or its title (as `words` gives it) -> its key

    @classmethod
    def of(cls, settings: Settings) -> Signs:
        rubrics = {r.key: r.key for r in settings.rubrics}
        rubrics.update({words(r.title): r.key for r in settings.rubrics})
        lines = {words(consent_line(settings)), words(CONSENT_LINE)}
        return cls(
            address=str(settings.letters["address"]).casefold(),
            tag=f"[{tag(settings)}]".casefold(),
            consent=tuple(sorted(lines)),
            rubrics=rubrics,
        )

    def is_letter_mail(self, subject: str, addresses: Iterable[str]) -> bool:
        if self.tag and self.tag in subject.casefold():
            return True
        return bool(self.address) and any(a.casefold() == self.address for a in addresses)

    def rubric(self, value: str) -> str | None:
        """The rubric's key for a key or a title as a form sends it; None when unknown."""
        value = value.strip()
        return self.rubrics.get(value) or self.rubrics.get(words(value))

    def without_consent_line(self, body: str) -> tuple[str, bool]:
        """The letter without the consent line the mailto link wrote, and whether it was
        there: a reader who keeps it agrees; one who deletes it does not."""
        kept, found = [], False
        for line in body.split("\n"):
            said = words(re.sub(r"^[\s>*_-]+|[\s*_]+$", "", line))
            if said and said in self.consent:
                found = True
                continue
            kept.append(line)
        return "\n".join(kept).strip("\n"), found


NO_MAIL = Signs(address="", tag="", consent=(), rubrics={})  # letters come by the form alone


def agrees(value: str) -> bool:
    """A consent box as services export it: 'on', 'yes', 'true', 'Да', the option's label
    (Google Forms); empty, 'no', 'false' and the like refuse."""
    return value.strip().casefold() not in NO
