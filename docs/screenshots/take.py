"""Screenshots of a built column for the README: python docs/screenshots/take.py [OUTPUT]

Serves OUTPUT (default: output/, built by `make site`) on a free local port and shoots what a
reader sees first, at 360, 768 and 1280 px, in light and dark, with Debian's Chromium through
playwright (as the browser tests do). The PNGs are written beside this script.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ADVICE = "/advice/oplata-posle-sdachi/"
# name: (path, width, height, colour scheme, element to scroll to or "")
SHOTS = {
    "home-1280": ("/", 1280, 900, "light", ""),
    "home-360": ("/", 360, 780, "light", ""),
    "advice-1280": (ADVICE, 1280, 900, "light", ""),
    "advice-768-dark": (ADVICE, 768, 1000, "dark", ""),
    "advice-360": (ADVICE, 360, 780, "light", ""),
    "thread-360": (ADVICE, 360, 780, "light", "#comment-olga-1"),
    "search-768": (
        "/search/?q=%D0%BF%D0%B5%D0%BA%D0%B0%D1%80%D0%BD%D1%8F%D0%BC",
        768,
        700,
        "light",
        "",
    ),
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(folder: Path) -> None:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    chromium = os.environ.get("SOVET_CHROMIUM") or shutil.which("chromium")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            for name, (path, width, height, scheme, target) in SHOTS.items():
                page = browser.new_page(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
                page.goto(base + path)
                if "search" in path:
                    page.wait_for_selector(".search-result")
                if target:
                    page.locator(target).scroll_into_view_if_needed()
                    page.evaluate(f"document.querySelector({target!r}).scrollIntoView()")
                page.screenshot(path=str(HERE / f"{name}.png"))
                page.close()
                print(f"{name}.png")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "output"))
