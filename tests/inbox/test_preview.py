"""/_inbox/ in `serve`: the submissions as their threads will show them, the buttons, the
guards (this machine only, the page's own token), and never a trace of it in a build."""

from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import urlencode

from bs4 import BeautifulSoup

from sovet.inbox.actions import is_local
from tests.e2e.test_serve import fetch
from tests.inbox.conftest import build_site, import_all, inbox_site


def request(
    base: str, method: str, path: str, form: dict[str, str] | None = None, **headers: str
) -> tuple[int, dict[str, str], str]:
    """One request, redirects not followed: (status, headers, body)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=15)
    body = urlencode(form) if form is not None else None
    sent = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    text = response.read().decode("utf-8")
    connection.close()
    return response.status, dict(response.getheaders()), text


def inbox_page(base: str) -> BeautifulSoup:
    status, page = fetch(base + "/_inbox/")
    assert status == 200
    return BeautifulSoup(page, "lxml")


def item(soup: BeautifulSoup, author: str) -> BeautifulSoup:
    (found,) = [
        article
        for article in soup.select("article.inbox-item")
        if author in article.select_one(".comment__author").get_text()
    ]
    return found


def test_the_inbox_page_shows_submissions_as_they_will_appear(served: tuple[str, Path]) -> None:
    base, _ = served
    soup = inbox_page(base)
    assert soup.h1.get_text() == "Входящие комментарии"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert len(soup.select("article.inbox-item")) == 16
    assert [h.get_text() for h in soup.select(".inbox-advice h2")] == [
        "Первый совет",
        "Сдали проект, а оплаты нет",
    ]
    anton = item(soup, "Антон")
    assert anton.select_one("li.comment.depth-1 article#comment-anton-sergeevich-1")
    assert "«Ольгой»\u00a0— звонок" in anton.select_one(".comment__text").get_text()
    assert anton.select_one("select[name=reply_to] option[selected]")["value"] == "olga-1"
    assert "anton@example.org" in anton.select_one(".inbox-item__meta").get_text()
    assert "honeypot" in item(soup, "Бот").select_one(".inbox-item__flags").get_text()
    assert "is hidden" in item(soup, "Вера").select_one(".inbox-item__problems").get_text()

    evil = item(soup, "евил")
    assert evil.select_one(".comment__author").get_text().startswith("<img src=x onerror=")
    assert evil.find(["script", "img", "iframe"]) is None
    assert not any(tag.has_attr("onerror") for tag in soup.find_all(True))
    assert all(a["href"].startswith(("http", "/", "#")) for a in soup.find_all("a", href=True))
    assert soup.find_all("script") == []  # nothing a reader wrote, and no live reload
    assert "[адрес скрыт]" in evil.select_one(".comment__text").get_text()


def test_the_buttons_do_what_the_commands_do(served: tuple[str, Path]) -> None:
    base, site = served
    soup = inbox_page(base)
    token = soup.select_one("input[name=token]")["value"]
    anton = item(soup, "Антон")
    role = anton.select_one("select[name=role]")
    assert [o["value"] for o in role.select("option")] == ["reader", "asker", "columnist"]
    assert role.select_one("option")["value"] == "reader"  # the default: no badge
    form = {
        "token": token,
        "id": anton["data-id"],
        "author": "Антон Сергеевич",
        "reply_to": "olga-1",
        "role": "asker",
    }
    status, headers, _ = request(base, "POST", "/_inbox/accept", form)
    assert status == 303
    assert headers["Location"] == "/advice/first/#comment-anton-sergeevich-1"
    page = fetch(base + "/advice/first/")[1]  # already rebuilt when the answer came
    assert 'id="comment-anton-sergeevich-1"' in page
    comment = site / "content/advice/first/comments/anton-sergeevich-1.md"
    assert "role: asker\n" in comment.read_text("utf-8")

    bot = item(soup, "Бот")["data-id"]
    status, headers, _ = request(base, "POST", "/_inbox/reject", {"token": token, "id": bot})
    assert status == 303 and headers["Location"] == "/_inbox/"
    assert (site / "inbox/rejected" / f"{bot}.md").is_file()
    status, headers, _ = request(base, "POST", "/_inbox/restore", {"token": token, "id": bot})
    assert status == 303 and (site / "inbox" / f"{bot}.md").is_file()

    vera = item(soup, "Вера")["data-id"]
    status, _, body = request(base, "POST", "/_inbox/accept", {"token": token, "id": vera})
    assert (
        status == 422
        and "is hidden" in BeautifulSoup(body, "lxml").select_one("[role=alert]").get_text()
    )
    form = {"token": token, "id": vera, "reply_to": ""}
    status, headers, _ = request(base, "POST", "/_inbox/accept", form)
    assert status == 303 and headers["Location"] == "/advice/first/#comment-vera-1"

    status, _, _ = request(base, "POST", "/_inbox/reject-flagged", {"token": token, "id": ""})
    assert status == 303
    assert len(list((site / "inbox/rejected").glob("*.md"))) == 3

    # only this machine, and only this page, may act
    target = next((site / "inbox").glob("*.md")).stem
    form = {"token": token, "id": target}
    assert (
        request(base, "GET", "/_inbox/", Host="sovet.example.org")[0] == 421
    )  # not this server's name
    assert request(base, "POST", "/_inbox/reject", form, Origin="https://evil.example")[0] == 404
    assert request(base, "POST", "/_inbox/reject", {"token": "guess", "id": target})[0] == 403
    assert (site / "inbox" / f"{target}.md").is_file()
    assert request(base, "GET", "/_inbox/nothing")[0] == 404


def test_no_page_can_be_framed_and_the_inbox_loads_nothing_foreign(
    served: tuple[str, Path],
) -> None:
    base, _ = served
    for path in ("/", "/advice/first/", "/nowhere/", "/advice/first", "/_inbox/"):
        _, headers, _ = request(base, "GET", path)
        assert headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
    policy = request(base, "GET", "/_inbox/")[1]["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "form-action 'self'" in policy


def test_only_this_servers_own_names_are_answered(served: tuple[str, Path]) -> None:
    """DNS rebinding: a page at evil.example pointed its name at 127.0.0.1 and asks for a
    draft with `Host: evil.example`. Only addresses, localhost and --host are answered."""
    base, _ = served
    port = base.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example"):
        status, _, body = request(base, "GET", "/advice/first/", Host=host)
        assert status == 421 and "Первый совет" not in body, host
        assert request(base, "POST", "/_inbox/reject", {"id": "x"}, Host=host)[0] == 421
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "192.168.1.20:8000", "[::1]"):
        assert request(base, "GET", "/advice/first/", Host=host)[0] == 200, host


def test_is_local() -> None:
    assert is_local("127.0.0.1", "127.0.0.1:8000", None, 8000)
    assert is_local("::1", "localhost:8000", "http://localhost:8000", 8000)
    assert not is_local("192.168.1.5", "127.0.0.1:8000", None, 8000)
    assert not is_local("127.0.0.1", "attacker.example:8000", None, 8000)  # DNS rebinding
    assert not is_local("127.0.0.1", "127.0.0.1:8000", "http://attacker.example", 8000)
    assert not is_local("127.0.0.1", "127.0.0.1:9000", None, 8000)


def test_a_build_has_no_inbox_and_no_wall_clock(tmp_path: Path) -> None:
    site = inbox_site(tmp_path / "site")
    import_all(site)
    out = tmp_path / "out"
    build_site(site, out)
    files = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert not [p for p in files if "_inbox" in str(p) or "inbox" in p.parts]
    page = files[Path("advice/first/index.html")]
    form = BeautifulSoup(page, "lxml").select_one("form#comment-form")
    assert form.select_one("input[name=built]")["value"] == "2026-11-20T10:00:00+03:00"
    assert form.select_one("input[name=website]") is not None
