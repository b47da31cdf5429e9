"""A real Chromium (Debian's package, driven by playwright) reading built sites over HTTP.

The browser is the system's: `.ci/run` installs it (apt-get install chromium). Without it
these tests are skipped with a message saying how to install it, and only then.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    found = os.environ.get("SOVET_CHROMIUM") or shutil.which("chromium")
    return found or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
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


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A fresh page that records console errors, failed requests and any dialog (alert)."""
    context = browser.new_context()
    page = context.new_page()
    record = Watched(page)
    page.on(
        "console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: record.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: record.failed_requests.append(r.url))
    page.on(
        "response",
        lambda r: record.failed_requests.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )

    def dialog(d: Any) -> None:
        record.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    yield record
    context.close()
