"""A real Chromium (Debian's package, driven by playwright) reading built sites over HTTP.

The browser is the system's: `.ci/run` installs it (apt-get install chromium). Without it
these tests are skipped with a message saying how to install it, and only then.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from sovet.assemble import Options
from sovet.output import write_site
from sovet.pipeline import load_site, render_site
from sovet.render import search
from tests.conftest import CLOCK, PROJECT, run_build, write_files

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    found = os.environ.get("SOVET_CHROMIUM") or shutil.which("chromium")
    return found or shutil.which("chromium-browser")


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for the browser tests; closed after them, so that other tests may start
    playwright themselves (its sync API allows one instance per thread at a time)."""
    path = chromium_path()
    if path is None:
        pytest.skip(
            "no Chromium: install Debian's package (apt-get install chromium) "
            "or set SOVET_CHROMIUM to a Chromium binary"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_folder(folder: Path) -> tuple[str, Callable[[], None]]:
    """Serve a built site on a free local port; returns its base URL and a stop function."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}", stop


@dataclass
class Watched:
    """A browser page with everything that went wrong on it recorded."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def watch(context: Any) -> Watched:
    """A new page of CONTEXT that records console errors, failed requests and dialogs.

    A request the browser itself abandons (a favicon when the test moves on) is no failure.
    """
    page = context.new_page()
    record = Watched(page)
    page.on(
        "console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: record.console_errors.append(str(e)))
    page.on(
        "requestfailed",
        lambda r: None if r.failure == "net::ERR_ABORTED" else record.failed_requests.append(r.url),
    )
    page.on(
        "response",
        lambda r: record.failed_requests.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )

    def dialog(d: Any) -> None:
        record.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return record


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A fresh page that records console errors, failed requests and any dialog (alert)."""
    context = browser.new_context()
    yield watch(context)
    context.close()


AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def sample_url(sample_out: Path) -> Iterator[str]:
    """The sample column, built once, served over HTTP for the whole session."""
    url, stop = serve_folder(sample_out)
    yield url
    stop()


@pytest.fixture(scope="session")
def parted_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample column with its search index cut into parts of five advices (three parts,
    as a column of thousands has it), built once and served."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PART_SIZE", 5)
        site, theme = load_site(PROJECT, Options(now=dt.datetime.fromisoformat(CLOCK)))
        files = render_site(site, theme)
    assert PurePosixPath("pagefind/3/pagefind-entry.json") in files
    out = tmp_path_factory.mktemp("parted") / "output"
    write_site(out, files)
    url, stop = serve_folder(out)
    yield url
    stop()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed from npm by `make test` (npm install)."""
    if not AXE.is_file():
        pytest.skip("axe-core is missing: run `npm install` in the project (make test does)")
    return AXE.read_text("utf-8")


@pytest.fixture(scope="session")
def made_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A column written for these tests: one advice with 50 comments, a thread six replies
    deep and readers' comments that try to run scripts. Built once, served; (output, URL)."""
    root = write_files(tmp_path_factory.mktemp("made") / "site", made_files())
    out = root / "output"
    result = run_build("build", "--site", str(root), "--out", str(out), "--clock", CLOCK)
    assert result.returncode == 0, result.stdout + result.stderr
    url, stop = serve_folder(out)
    yield out, url
    stop()


MADE_TOML = """\
title = "Тестовая колонка"
base_url = "https://example.org/"
language = "ru"
timezone = "Europe/Moscow"
columnist = "Илья Кравец"

[rubrics.main]
title = "Переговоры"
signature = "Это был пятничный совет."

[comments]
form_action = "https://forms.example.org/comments"
"""

SENTENCES = [
    "Мы долго спорили в команде, кто должен первым написать клиенту после паузы.",
    "В итоге договорились, что пишет тот, кто вёл проект, а не руководитель студии.",
    "Письмо получилось коротким: три абзаца, дата, сумма и вежливая просьба ответить.",
    "Клиент ответил через два дня и извинился, что счёт затерялся в бухгалтерии.",
    "С тех пор мы ставим напоминание в календарь сразу, как только отправляем акт.",
    "Это скучно, но работает лучше любых уговоров и обид.",
]
HOSTILE = {
    "script": "Смотрите: <script>window.pwned = 1; alert(1)</script> бархатный сезон.",
    "image": 'Картинка: <img src="x" onerror="window.pwned = 2; alert(2)"> бархатный.',
    "link": "Ссылка: [нажмите](javascript:window.pwned=3) и бархатный [сайт](https://example.org/).",
    "attribute": '<a href="#" onclick="window.pwned = 4">бархатный</a> "><svg onload=alert(5)>',
}


def _words(seed: int, count: int) -> str:
    """About 400 characters of ordinary comment text, different for each comment."""
    return " ".join(SENTENCES[(seed + i) % len(SENTENCES)] for i in range(count))


def made_files() -> dict[str, str]:
    slug = "gluboko"
    files = {
        "site.toml": MADE_TOML,
        f"content/advice/{slug}/question.md": (
            "---\ntitle: Как напомнить клиенту об оплате\nauthor: Марина Л.\n"
            f"tags: [оплата]\n---\n{_words(0, 12)}\n\n{_words(3, 10)}\n"
        ),
        f"content/advice/{slug}/answer.md": (
            f"---\ndate: 2026-11-20 10:00\n---\n{_words(1, 14)}\n\n{_words(2, 14)}\n\n"
            f"{_words(4, 12)}\n"
        ),
    }
    previous = ""
    for depth in range(7):  # a chain: each replies to the one before, depth 0 to 6
        reply = f"reply_to: deep-{depth - 1}\n" if previous else ""
        files[f"content/advice/{slug}/comments/deep-{depth}.md"] = (
            f"---\nauthor: Читатель {depth}\ndate: 2026-11-20 12:{depth:02d}\n{reply}---\n"
            f"{_words(depth, 6)}\n"
        )
        previous = f"deep-{depth}"
    for index, (name, body) in enumerate(HOSTILE.items()):
        files[f"content/advice/{slug}/comments/{name}-1.md"] = (
            f"---\nauthor: <b>Хакер</b> {name}\ndate: 2026-11-20 13:{index:02d}\n---\n{body}\n"
        )
    for index in range(50 - 7 - len(HOSTILE)):
        files[f"content/advice/{slug}/comments/reader-{index}.md"] = (
            f"---\nauthor: Читатель {index + 10}\ndate: 2026-11-21 {10 + index // 60}:{index % 60:02d}\n"
            f"---\n{_words(index, 5)}\n"
        )
    return files
