"""`sovet serve --built`: the output folder served exactly as built, under the path of
`base_url`, so the editor sees what readers will get before shipping it.

Nothing is built or changed: the files are served as they are, at the same addresses as on
the real site (https://example.org/column/ is served at http://127.0.0.1:8000/column/), with
the site's own 404 page. A page opened from disk would lose its styles and links (they are
site-absolute), which is why this exists.
"""

from __future__ import annotations

import functools
import posixpath
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from rich.console import Console

from .. import urls
from ..serve import FRAMING, allowed_host


class PreviewError(Exception):
    """The output folder cannot be served; the message says what to do."""


def check_built(out: Path) -> None:
    if not (out / "index.html").is_file():
        raise PreviewError(f"{out} holds no built site: run `sovet build` first")


class BuiltHandler(SimpleHTTPRequestHandler):
    """Files of the output folder under the site's path; the site's 404 page elsewhere."""

    base = "/"
    listening = "127.0.0.1"

    def __init__(self, *args: Any, directory: str, **kwargs: Any) -> None:
        super().__init__(*args, directory=directory, **kwargs)

    def do_GET(self) -> None:
        if not allowed_host(self.headers.get("Host"), self.listening):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "unknown host name")
            return
        path = urlsplit(self.path).path
        if self.base != "/" and path in ("/", self.base.rstrip("/")):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.base)
            self.end_headers()
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        self.do_GET()

    def translate_path(self, path: str) -> str:
        """A request path to a file of the output folder; '' for one outside the site's path."""
        path = posixpath.normpath(unquote(urlsplit(path).path)) + (
            "/" if path.endswith("/") else ""
        )
        if not path.startswith(self.base):
            return ""
        return super().translate_path("/" + path[len(self.base) :])

    def send_head(self) -> Any:
        target = self.translate_path(self.path)
        if not target or not Path(target).exists():
            return self._not_found()
        if Path(target).is_dir() and not (Path(target) / "index.html").is_file():
            return self._not_found()
        return super().send_head()

    def _not_found(self) -> Any:
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"404"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def end_headers(self) -> None:
        for name, value in FRAMING.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def list_directory(self, path: str | Any) -> Any:
        return self._not_found()

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_built(out: Path, base_url: str, host: str, port: int, console: Console) -> int:
    """Serve OUT until Ctrl-C."""
    check_built(out)
    base = urls.base_path(base_url)
    handler = type("Handler", (BuiltHandler,), {"base": base, "listening": host})
    try:
        server = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(out)))
    except OSError as error:
        raise PreviewError(
            f"cannot listen on {host}:{port}: {error.strerror}; try --port"
        ) from None
    server.daemon_threads = True
    console.print(f"Serving {out} as built on http://{host}:{port}{base} (Ctrl-C stops)")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        console.print("Stopped.")
    finally:
        server.server_close()
    return 0
