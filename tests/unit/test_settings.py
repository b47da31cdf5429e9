"""site.toml: defaults, and every mistake named with its line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovet.problems import Problems
from sovet.settings import key_lines, load_settings
from tests.conftest import MINIMAL_TOML, PROJECT


def load(tmp_path: Path, text: str) -> tuple[object, list[str]]:
    (tmp_path / "site.toml").write_text(text, "utf-8")
    problems = Problems()
    settings = load_settings(tmp_path, problems)
    shown = [str(p).split("site.toml", 1)[-1] for p in problems.sorted()]
    return settings, shown


def test_the_sample_settings_load() -> None:
    problems = Problems()
    settings = load_settings(PROJECT, problems)
    assert not problems
    assert settings is not None
    assert settings.language == "ru"
    assert [r.key for r in settings.rubrics] == ["negotiations", "studio", "career"]
    assert settings.rubrics[0].course is not None


def test_defaults_fill_what_is_not_set(tmp_path: Path) -> None:
    settings, problems = load(tmp_path, MINIMAL_TOML)
    assert problems == []
    assert settings.per_page == 10  # type: ignore[attr-defined]
    assert settings.comments["recent"] == 5  # type: ignore[attr-defined]
    assert settings.feeds == {"items": 20, "full_content": True}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("[comments]\nrecnet = 3\n", ":12: unknown key 'comments.recnet' in [comments]"),
        ('[feeds]\nitems = "many"\n', ":12: 'feeds.items' must be a whole number"),
        ("[feeds]\nfull_content = 1\n", ":12: 'feeds.full_content' must be true or false"),
        ('[search]\nenabled = "yes"\n', ":12: 'search.enabled' must be true or false"),
        (
            '[subscribe]\nform_action = "not a url"\n',
            ":12: 'subscribe.form_action' must be an absolute",
        ),
        ('[rubrics.other]\nsignature = "x"\n', ":11: missing required key 'rubrics.other.title'"),
        (
            '[rubrics.main.course]\nnote = "x"\n',
            ":11: missing required key 'rubrics.main.course.text'",
        ),
    ],
)
def test_table_mistakes(tmp_path: Path, extra: str, expected: str) -> None:
    _, problems = load(tmp_path, MINIMAL_TOML + "\n" + extra)
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('language = "xx-nope"', "'language' is not a language code Babel knows"),
        ('timezone = "Mars/Olympus"', "'timezone' is not a known time zone"),
        ('permalink = "/advice/{title}/"', "'permalink' has an unknown field {title}"),
        ('permalink = "/advice/"', "'permalink' must contain {slug}"),
        ('permalink = "advice/{slug}"', "'permalink' must start and end with '/'"),
        ('permalink = "/../{slug}/"', "'permalink' may contain only letters"),
        ("per_page = 0", "'per_page' must be a positive number"),
        ('theme = "../x"', "'theme' must be a plain folder name"),
        ('base_url = "example.org"', "'base_url' must be an absolute http(s) URL"),
    ],
)
def test_top_level_mistakes(tmp_path: Path, line: str, expected: str) -> None:
    key = line.split(" ", 1)[0]
    text = "\n".join(x for x in MINIMAL_TOML.splitlines() if not x.startswith(key + " "))
    text = text.replace('columnist = "Илья"', f'columnist = "Илья"\n{line}')
    settings, problems = load(tmp_path, text)
    assert settings is None
    assert problems == [f":6: {expected}"] or any(expected in p for p in problems), problems


def test_unknown_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "per_pge = 5\n" + MINIMAL_TOML)
    assert problems == [":1: unknown key 'per_pge' in site.toml (did you mean \"per_page\"?)"]


def test_missing_required_and_syntax(tmp_path: Path) -> None:
    _, problems = load(tmp_path, 'title = "x"\n')
    assert ":1: missing required key 'base_url' in site.toml" in problems
    _, problems = load(tmp_path, 'title = "x"\nbase_url = \n')
    assert problems[0].startswith(":2: TOML error")


def test_all_problems_in_one_run(tmp_path: Path) -> None:
    text = MINIMAL_TOML + 'per_page = -1\nlanguage = "fr"\n[feeds]\nitems = 0\n'
    _, problems = load(tmp_path, text)
    assert len(problems) == 3


def test_key_lines() -> None:
    lines = key_lines('a = 1\n[t]\nb = 2\n[t.u]\n"c d" = 3\n')
    assert lines == {"a": 1, "t": 2, "t.b": 3, "t.u": 4, "t.u.c d": 5}
