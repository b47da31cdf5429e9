"""accept, reject, restore: round trips, the checks a build makes, hostile words made inert."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sovet.inbox import page
from sovet.inbox.store import Entry, Inbox
from sovet.problems import Problems
from sovet.settings import load_settings
from tests.inbox.conftest import FIXTURES, Run, build_site


def entries(site: Path, state: str = "pending") -> dict[str, Entry]:
    settings = load_settings(site, Problems())
    assert settings is not None
    return {e.submission.author: e for e in Inbox(settings).entries(state, Problems())}


def imported(run: Run, site: Path, *names: str) -> dict[str, Entry]:
    run("import", *(str(FIXTURES / name) for name in names))
    return entries(site)


def built_page(site: Path, tmp_path: Path, url: str = "advice/first/") -> BeautifulSoup:
    out = tmp_path / "out"
    build_site(site, out)
    return BeautifulSoup((out / url / "index.html").read_text("utf-8"), "lxml")


def test_accept_publishes_a_threaded_comment(site: Path, run: Run, tmp_path: Path) -> None:
    anton = imported(run, site, "form.csv")["Антон Сергеевич"]
    code, out, err = run("accept", anton.id[:6])
    assert code == 0, err
    assert out.strip() == "Published content/advice/first/comments/anton-sergeevich-1.md"
    comment = site / "content/advice/first/comments/anton-sergeevich-1.md"
    assert comment.read_text("utf-8") == (
        '---\nauthor: "Антон Сергеевич"\ndate: 2026-11-21 09:15\nreply_to: olga-1\nrole: reader\n---\n'
        'Согласен с "Ольгой" - звонок работает лучше письма...\n\nПроверено на 27 000 рублей.\n'
    )
    assert "anton@example.org" not in comment.read_text("utf-8")
    assert not anton.path.exists()
    assert (site / "inbox/accepted" / anton.path.name).is_file()
    soup = built_page(site, tmp_path)
    reply = (
        soup.select_one("#comment-olga-1")
        .find_parent("li")
        .select_one(".thread--replies #comment-anton-sergeevich-1")
    )
    assert reply is not None
    assert "«Ольгой»\u00a0— звонок" in reply.get_text()  # typeset like every comment


def test_nothing_is_published_twice(site: Path, run: Run) -> None:
    anton = imported(run, site, "form.csv")["Антон Сергеевич"]
    assert run("accept", anton.id)[0] == 0
    code, _, err = run("accept", anton.id)
    assert code == 1 and f"no submission '{anton.id}' pending (it is accepted)" in err
    code, out, _ = run("import", str(FIXTURES / "form.csv"), str(FIXTURES / "service.json"))
    assert "form.csv: 0 new, 2 already accepted, 5 already in the inbox" in out  # and its copy
    assert "service.json: 1 new, 1 already accepted" in out
    assert len(list((site / "content/advice/first/comments").glob("anton*.md"))) == 1


def test_reject_and_restore_round_trip(site: Path, run: Run) -> None:
    bot = imported(run, site, "form.csv")["Бот"]
    kept = bot.path.read_text("utf-8")
    code, out, _ = run("reject", bot.id)
    assert code == 0 and f"Rejected {bot.id} (Бот, first)" in out
    assert (site / "inbox/rejected" / bot.path.name).read_text("utf-8") == kept
    assert not bot.path.exists()
    assert "Бот" not in run()[1]
    code, out, _ = run("restore", bot.id)
    assert code == 0 and "Restored" in out
    assert bot.path.read_text("utf-8") == kept
    assert not (site / "inbox/rejected" / bot.path.name).exists()
    assert "Бот" in run()[1]


def test_un_accepting_is_deleting_the_comment_then_restoring(site: Path, run: Run) -> None:
    anton = imported(run, site, "form.csv")["Антон Сергеевич"]
    run("accept", anton.id)
    code, _, err = run("restore", anton.id)
    assert code == 1
    assert re.search(
        r"accepted/\w+\.md:\d+: published as content/advice/first/comments/anton-sergeevich-1\.md: "
        r"delete that file",
        err,
    )
    (site / "content/advice/first/comments/anton-sergeevich-1.md").unlink()
    assert run("restore", anton.id)[0] == 0
    assert anton.id in run()[1] and anton.path.exists()


def test_reject_flagged_in_one_go(site: Path, run: Run) -> None:
    imported(run, site, "form.csv")
    code, out, _ = run("reject", "--flagged")
    assert code == 0 and out.count("Rejected") == 3
    assert set(entries(site, "rejected")) == {"Бот", "Ссыльщик", "Поздний"}
    assert "3 pending · 3 rejected · 0 accepted" in run()[1]
    assert run("reject", "--flagged")[1].strip() == "Nothing flagged to reject."


def test_a_rejected_text_sent_again_is_flagged(site: Path, run: Run, tmp_path: Path) -> None:
    first = tmp_path / "one.csv"
    first.write_text(
        "slug,author,body\nfirst,Аня,Купите слона!\nfirst,Боря,Купите  слона!\n", "utf-8"
    )
    found = imported(run, site, str(first))
    run("reject", found["Аня"].id)
    assert entries(site)["Боря"].submission.flags == ("repeat",)  # pending copies too
    again = tmp_path / "two.csv"
    again.write_text("slug,author,body\nsecond,Вова,купите слона!\n", "utf-8")
    run("import", str(again))
    assert entries(site)["Вова"].submission.flags == ("repeat",)


def test_accept_checks_what_a_build_checks(site: Path, run: Run) -> None:
    found = imported(run, site, "form.csv", "html-only.eml")
    vera = found["Вера"]
    code, _, err = run("accept", vera.id)
    assert code == 1
    line = vera.path.read_text("utf-8").split("\n").index("reply_to: hidden-1") + 1
    assert f"{vera.path.name}:{line}: comment 'hidden-1' in first is hidden" in err
    code, _, err = run("accept", vera.id, "--reply-to", "olgaa-1")
    assert "--reply-to: no comment 'olgaa-1' in first (did you mean \"olga-1\"?)" in err
    code, _, err = run("accept", vera.id, "--advice", "frist")
    assert "--advice: no advice 'frist': publish it with --advice first" in err
    code, _, err = run("accept", vera.id, "--advice", "unanswered", "--top-level")
    assert "this advice has no answer.md yet" in err
    assert not list((site / "content/advice/unanswered").glob("comments/*"))
    assert run("accept", vera.id, "--top-level")[0] == 0
    text = (site / "content/advice/first/comments/vera-1.md").read_text("utf-8")
    assert "reply_to" not in text


def test_names_are_checked_and_may_be_given(site: Path, run: Run, tmp_path: Path) -> None:
    export = tmp_path / "names.csv"
    export.write_text(
        "slug,author,email,body\nfirst,,a@example.org,Без имени.\n"
        "first,b@example.org,b@example.org,Адрес вместо имени.\n",
        "utf-8",
    )
    found = imported(run, site, str(export))
    code, _, err = run("accept", found[""].id)
    assert code == 1 and "no name to publish: give one with --author NAME" in err
    code, _, err = run("accept", found["b@example.org"].id)
    assert code == 1 and "the name holds an email address" in err
    assert run("accept", found[""].id, "--author", "Аноним")[0] == 0
    assert run("accept", found["b@example.org"].id, "--author", "Борис")[0] == 0
    comments = site / "content/advice/first/comments"
    published = "".join(p.read_text("utf-8") for p in comments.glob("*.md"))
    assert "Аноним" in published and "Борис" in published and "@example.org" not in published


def test_ids_are_checked_before_any_file_is_touched(site: Path, run: Run) -> None:
    imported(run, site, "form.csv")
    for wanted in ("../../site", "zz", "0"):
        code, _, err = run("accept", wanted)
        assert code == 1 and "an inbox id is 4 or more of 0-9a-f" in err
    code, _, err = run("show", "ffffffff")
    assert code == 1 and "no submission 'ffffffff'" in err


def test_show_prints_everything_as_text(site: Path, run: Run) -> None:
    evil = imported(run, site, "form.csv")['<img src=x onerror="alert(1)"> евил']
    code, out, _ = run("show", evil.id)
    assert code == 0
    assert 'author:    <img src=x onerror="alert(1)"> евил' in out
    assert "email:     evil@example.org" in out
    assert "Мой адрес [адрес скрыт], пишите." in out  # the body as it would be published


def test_hostile_words_stay_inert_when_published(site: Path, run: Run, tmp_path: Path) -> None:
    evil = imported(run, site, "form.csv")['<img src=x onerror="alert(1)"> евил']
    code, _, err = run("accept", evil.id)
    assert code == 0, err
    soup = built_page(site, tmp_path)
    (author,) = [a for a in soup.select(".comment__author") if "евил" in a.get_text()]
    assert author.get_text().startswith("<img src=x onerror=")  # text, typeset like any name
    article = author.find_parent("article")
    body = article.select_one(".comment__text")
    assert body.find(["script", "img", "iframe"]) is None
    assert not [a for a in body.find_all("a") if not a["href"].startswith("http")]
    assert all(a.get("rel") == ["nofollow", "ugc"] for a in body.find_all("a"))
    assert "<script>" in body.get_text()  # shown as text
    assert not any(tag.has_attr("onerror") for tag in soup.find_all(True))
    assert "evil@example.org" not in str(soup) and "[адрес скрыт]" in body.get_text()


def test_import_and_accept_say_which_advice_would_place_it(
    site: Path, run: Run, tmp_path: Path
) -> None:
    export = tmp_path / "typo.csv"
    export.write_text("slug,author,body\nfrist,Аня,Спасибо за совет.\n", "utf-8")
    mail = tmp_path / "untagged.eml"
    mail.write_bytes(
        "From: Боря <borya@example.org>\nSubject: Re: Сдали проект, а оплата нет\n"
        "Content-Type: text/plain; charset=utf-8\n\nУ нас так же.\n".encode()
    )
    code, out, _ = run("import", str(export), str(mail))
    assert code == 0
    assert (
        f"{export}:2: no advice 'frist' on the site: it waits in the inbox; "
        "accept it with --advice first"
    ) in out
    assert (
        f"{mail}:1: it names no advice: it waits in the inbox; accept it with --advice second"
        in out
    )
    found = entries(site)
    code, _, err = run("accept", found["Аня"].id)
    assert code == 1 and "no advice 'frist': publish it with --advice first" in err
    code, _, err = run("accept", found["Боря"].id)
    assert code == 1 and "no advice named: publish it with --advice second" in err
    assert run("accept", found["Боря"].id, "--advice", "second")[0] == 0


@pytest.mark.parametrize(
    ("language", "pending", "flagged", "expected"),
    [
        ("ru", 1, 0, "1 ждёт решения"),
        ("ru", 2, 1, "2 ждут решения · 1 похож на спам"),
        ("ru", 5, 21, "5 ждут решения · 21 похож на спам"),
        ("ru", 11, 3, "11 ждут решения · 3 похожи на спам"),
        ("en", 1, 1, "1 pending · 1 flagged as spam"),
        ("en", 2, 0, "2 pending"),
    ],
)
def test_every_count_on_the_inbox_page_takes_its_plural_form(
    site: Path, language: str, pending: int, flagged: int, expected: str
) -> None:
    settings = load_settings(site, Problems())
    assert settings is not None
    assert page.counts(dataclasses.replace(settings, language=language), pending, flagged) == (
        expected
    )


def test_a_readers_typed_name_never_earns_a_badge(site: Path, run: Run, tmp_path: Path) -> None:
    """The site's columnist is "Илья", the advice's asker "Иван К."."""
    export = tmp_path / "names.csv"
    export.write_text(
        "slug,author,body\nfirst,ИЛЬЯ,Я колумнист.\nfirst,иван  к.,Я спросил.\n"
        "first,Лже-Илья,Не похож.\nfirst,Бот,Купите!\n",
        "utf-8",
    )
    code, out, _ = run("import", str(export))
    assert code == 0 and "4 new" in out and "(1 flagged)" not in out
    found = entries(site)
    assert found["ИЛЬЯ"].submission.flags == ("name",)
    assert found["иван к."].submission.flags == ("name",)  # spaces collapsed
    assert found["Лже-Илья"].submission.flags == ()
    listed = run()[1]
    assert "NAME? signed like the columnist or the asker" in listed
    assert "4 pending ·" in listed  # no spam among them
    assert run("reject", "--flagged")[1].strip() == "Nothing flagged to reject."

    assert run("accept", found["ИЛЬЯ"].id)[0] == 0
    assert run("accept", found["иван к."].id, "--role", "asker")[0] == 0
    comments = site / "content/advice/first/comments"
    assert "role: reader\n" in (comments / "ilya-1.md").read_text("utf-8")
    assert "role: asker\n" in (comments / "ivan-k-1.md").read_text("utf-8")
    soup = built_page(site, tmp_path)
    impostor = soup.select_one("#comment-ilya-1").find_parent("li")
    assert "comment--columnist" not in impostor["class"]
    assert not impostor.select(".badge")
    asker = soup.select_one("#comment-ivan-k-1").find_parent("li")
    assert "comment--asker" in asker["class"]
