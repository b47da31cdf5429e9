"""UI strings: every message the theme and the feeds use is translated in every catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import PROJECT

THEME = PROJECT / "themes" / "default"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


Message = tuple[str | tuple[str, str], str | None]  # the message, and its context


def used_messages() -> set[Message]:
    jinja = {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}
    found: set[Message] = set()
    for _, _, message, _, context in extract_from_dir(
        str(THEME / "templates"),
        method_map=[("**.html", "jinja2"), ("**.txt", "jinja2")],
        options_map={"**.html": jinja, "**.txt": jinja},
    ):
        found.add((message, context))
    for _, _, message, _, context in extract_from_dir(
        str(PROJECT / "sovet"),
        method_map=[("**.py", "python")],
        keywords={"gettext": None, "ngettext": (1, 2), "N_": None},
    ):
        found.add((message, context))
    return found


@pytest.mark.parametrize("language", ["ru", "en"])
def test_catalogue_is_complete(language: str) -> None:
    with (THEME / "locales" / f"{language}.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    messages = used_messages()
    assert len(messages) > 60
    for message, context in messages:
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key, context)
        assert entry is not None and entry.string, f"{language}.po misses {key!r}"
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert len(forms) == catalog.num_plurals or not isinstance(message, tuple)
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(key + str(message))), (
                language,
                key,
                form,
            )


def test_catalogues_have_no_unused_entries() -> None:
    used = {(m[0] if isinstance(m, tuple) else m, c) for m, c in used_messages()}
    with (THEME / "locales" / "ru.po").open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    unused = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id}
    unused -= used
    assert not unused, unused


def test_third_language_is_a_catalogue_not_code(tmp_path: Path) -> None:
    from sovet.i18n import translations

    (tmp_path / "uk.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Archive"\nmsgstr "Архів"\n',
        "utf-8",
    )
    assert translations((tmp_path,), "uk").gettext("Archive") == "Архів"


def test_a_catalogue_edited_in_the_same_process_is_read_again(tmp_path: Path) -> None:
    """`serve` lives on while a theme's strings are edited."""
    from sovet.i18n import translations

    po = tmp_path / "uk.po"
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    po.write_text(head + 'msgid "Archive"\nmsgstr "Архів"\n', "utf-8")
    assert translations((tmp_path,), "uk").gettext("Archive") == "Архів"
    po.write_text(head + 'msgid "Archive"\nmsgstr "Архів тижнів"\n', "utf-8")
    assert translations((tmp_path,), "uk").gettext("Archive") == "Архів тижнів"
