"""`serve`: the pipeline kept warm in one process, a file watcher and a live-reloading server.

The site is built into memory (output/ is never touched) with drafts and scheduled advices
shown. A failed rebuild keeps the last good site and puts the problems into every page served
(in the HTML itself, so it shows with or without JavaScript); the next good build clears them.
Open pages long-poll a build counter and reload when it moves.
"""

from __future__ import annotations

import gc
import html
import ipaddress
import json
import mimetypes
import secrets
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2
from rich.console import Console
from rich.text import Text
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from . import SHIPPED_THEMES, urls
from .assemble import Options
from .content.loader import mark_changed
from .inbox import actions as inbox_actions
from .inbox import page as inbox_page
from .model import Site
from .pipeline import Caches, load_site, render_site
from .problems import BuildFailed, Problem, Problems
from .settings import load_settings

RELOAD_PATH = "/_sovet/reload"
INBOX_PREFIX = "/_inbox"
MAX_FORM_BYTES = 1 << 20
ACCEPT_WAIT_SECONDS = 10.0
POLL_SECONDS = 25.0
DEBOUNCE_SECONDS = 0.15
IGNORED_PARTS = {".git", "output", ".sovet-cache", "__pycache__", ".venv", ".hypothesis"}

_RELOAD_SCRIPT = """<script>
(function () {
  var generation = %d;
  function poll() {
    fetch("%s?since=" + generation, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) { if (d.generation !== generation) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>"""

_OVERLAY = """<div id="sovet-problems" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:2147483647;
max-height:60vh;overflow:auto;margin:0;padding:16px 20px;background:#2b0d0a;color:#ffe9e5;
font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;border-top:4px solid #ff6b57">
<strong style="font:600 15px system-ui,sans-serif">%s</strong>
<ul style="margin:8px 0 0;padding:0;list-style:none">%s</ul></div>"""


class Preview:
    """The warm pipeline: the last good site in memory, current problems, a build counter."""

    def __init__(self, root: Path, base_url: str | None, base: str = "/") -> None:
        self.root = root.absolute()
        self.base_url = base_url
        self.base = base  # the path the site lives under, as on the real site: '/column/'
        self.files: dict[PurePosixPath, bytes] = {}  # by path in the output folder
        self.problems: list[Problem] = []
        self.generation = 0
        self.seconds = 0.0
        self.changed = threading.Condition()
        self.building = threading.Lock()
        self.caches = Caches()
        self.pending_lock = threading.Lock()
        self.pending: set[str] | None = None  # changed since the last build began; None: all
        self.site: Site | None = None  # the last good site, for the inbox page
        self.token = secrets.token_urlsafe(16)  # the inbox forms carry it: no cross-site posts

    def changed_path(self, path: Path) -> None:
        """Called by the watcher: the next build reads this path's advice folder again."""
        with self.pending_lock:
            self.pending = mark_changed(self.pending, path, self.root / "content" / "advice")

    def rebuild(self) -> bool:
        """Build once; True if the site built. Only one build runs at a time."""
        with self.building:
            started = time.perf_counter()
            with self.pending_lock:
                self.caches.load.dirty, self.pending = self.pending, set()
            try:
                options = Options(drafts=True, future=True)
                site, theme = load_site(self.root, options, self.base_url, caches=self.caches)
                files = render_site(site, theme, cache=self.caches.render, search=False)
            except BuildFailed as failed:
                problems, ok = failed.problems, False
            else:
                problems, ok = [], True
            gc.collect()
            gc.freeze()  # the warm site stays: keep the collector from walking it every time
            with self.changed:
                if ok:
                    self.files = files
                    self.site = site
                self.problems = problems
                self.seconds = time.perf_counter() - started
                self.generation += 1
                self.changed.notify_all()
            return ok

    def wait(self, since: int, timeout: float = POLL_SECONDS) -> int:
        """Block until the build counter moves past `since` (or the timeout), return it."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != since, timeout=timeout)
            return self.generation

    def lookup(self, url_path: str) -> tuple[HTTPStatus, str, bytes, str | None]:
        """Status, content type, body and redirect target for a request path."""
        if not url_path.startswith(self.base):
            if url_path in ("", "/"):  # the site lives under its path, as it will
                return HTTPStatus.FOUND, "text/plain", b"", self.base
            return self._not_found()
        path = unquote(url_path[len(self.base) :]).lstrip("/")
        if ".." in PurePosixPath(path).parts:
            return self._not_found()
        candidate = PurePosixPath(path + "index.html" if path.endswith("/") or not path else path)
        if candidate in self.files:
            kind = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
            return HTTPStatus.OK, kind, self.files[candidate], None
        if PurePosixPath(path, "index.html") in self.files:
            return HTTPStatus.MOVED_PERMANENTLY, "text/plain", b"", f"{self.base}{path}/"
        return self._not_found()

    def _not_found(self) -> tuple[HTTPStatus, str, bytes, str | None]:
        body = self.files.get(
            PurePosixPath("404.html"), b"<!doctype html><title>404</title><body>404</body>"
        )
        return HTTPStatus.NOT_FOUND, "text/html", body, None

    def wait_for_anchor(self, url: str, anchor: str, timeout: float) -> None:
        """Block until the page at url carries id="anchor" (an accepted comment is built)."""
        key = urls.output_path(url)
        marker = f'id="{anchor}"'.encode()
        deadline = time.monotonic() + timeout
        generation = self.generation
        while marker not in self.files.get(key, b""):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            generation = self.wait(generation, timeout=left)

    def decorate(self, body: bytes, reload: bool = True) -> bytes:
        """A served page: the live-reload script, and the problems while any stand."""
        extra = _RELOAD_SCRIPT % (self.generation, RELOAD_PATH) if reload else ""
        if self.problems:
            items = "".join(f"<li>{html.escape(str(p))}</li>" for p in self.problems)
            count = len(self.problems)
            title = f"{count} problem{'s' if count != 1 else ''}: the last good build is shown"
            extra = _OVERLAY % (html.escape(title), items) + extra
        text = body.decode("utf-8", "replace")
        at = text.rfind("</body>")
        text = text[:at] + extra + text[at:] if at >= 0 else text + extra
        return text.encode("utf-8")


# Every response: no other site may show the preview in a frame (a click on a bait button
# over an invisible /_inbox/ would press Publish). The inbox also loads nothing but its own
# styles and posts nowhere but to itself.
FRAMING = {"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'"}
INBOX_POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def allowed_host(value: str | None, listening: str) -> bool:
    """Whether a request's Host header names this server: an address, localhost, or the name
    given to --host. A web page whose own name was pointed at this machine (DNS rebinding)
    sends its name, and is refused before it can read a draft."""
    name = urlsplit(f"//{value}").hostname if value else None
    if not name:
        return False
    if name in ("localhost", listening.lower().strip("[]")):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def make_handler(preview: Preview, listening: str = "127.0.0.1") -> type[BaseHTTPRequestHandler]:
    inbox_lock = threading.Lock()  # one decision at a time

    class Handler(BaseHTTPRequestHandler):
        server_version = "sovet"
        policy = ""  # a stricter Content-Security-Policy for this response

        def end_headers(self) -> None:
            for name, value in FRAMING.items():
                if name == "Content-Security-Policy" and self.policy:
                    value = self.policy
                self.send_header(name, value)
            super().end_headers()

        def known_host(self) -> bool:
            if allowed_host(self.headers.get("Host"), listening):
                return True
            self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain", b"unknown host name\n")
            return False

        def do_GET(self) -> None:
            self.policy = ""
            if not self.known_host():
                return
            parts = urlsplit(self.path)
            if parts.path == INBOX_PREFIX or parts.path.startswith(INBOX_PREFIX + "/"):
                self._inbox(parts.path, None)
                return
            if parts.path == RELOAD_PATH:
                since = int(parse_qs(parts.query).get("since", ["-1"])[0] or -1)
                generation = preview.wait(since)
                self._send(
                    HTTPStatus.OK,
                    "application/json",
                    json.dumps({"generation": generation}).encode(),
                )
                return
            status, kind, body, location = preview.lookup(parts.path)
            if location:
                self.send_response(status)
                self.send_header("Location", location)
                self.end_headers()
                return
            if kind == "text/html":
                body = preview.decorate(body)
                kind = "text/html; charset=utf-8"
            self._send(status, kind, body)

        def do_POST(self) -> None:
            self.policy = ""
            if not self.known_host():
                return
            path = urlsplit(self.path).path
            length_header = self.headers.get("Content-Length") or "0"
            length = int(length_header) if length_header.isdigit() else -1
            if not path.startswith(INBOX_PREFIX + "/") or not 0 <= length <= MAX_FORM_BYTES:
                self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found")
                return
            data = self.rfile.read(length).decode("utf-8", "replace")
            form = {k: v[0] for k, v in parse_qs(data, keep_blank_values=True).items()}
            self._inbox(path, form)

        def _inbox(self, path: str, form: dict[str, str] | None) -> None:
            """/_inbox/ (GET) and its buttons (POST): on this machine only, never in a build."""
            self.policy = INBOX_POLICY
            port = int(getattr(self.server, "server_port", 0))
            host, origin = self.headers.get("Host"), self.headers.get("Origin")
            if not inbox_actions.is_local(self.client_address[0], host, origin, port):
                status, kind, body, _ = preview._not_found()
                self._send(status, kind, body)
                return
            if path == INBOX_PREFIX:
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", inbox_page.PATH)
                self.end_headers()
                return
            problems = Problems()
            settings = load_settings(preview.root, problems, preview.base_url)
            if settings is None:
                text = "\n".join(str(p) for p in problems.sorted())
                self._send(
                    HTTPStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", text.encode()
                )
                return
            env = preview.caches.render.state.get("env")
            env = env if isinstance(env, jinja2.Environment) else None
            if form is None:
                if path != inbox_page.PATH:
                    self._send(*preview._not_found()[:3])
                    return
                body = inbox_page.render(settings, preview.site, env, preview.token)
                # no live reload: a rebuild must not cut off the editor's click on a button
                self._send(HTTPStatus.OK, "text/html; charset=utf-8", preview.decorate(body, False))
                return
            if not secrets.compare_digest(form.get("token", "").encode(), preview.token.encode()):
                self._send(HTTPStatus.FORBIDDEN, "text/plain", b"stale or foreign form: reload")
                return
            with inbox_lock:
                action = path.removeprefix(inbox_page.PATH)
                outcome = inbox_actions.act(settings, preview.site, action, form)
            if outcome.problems:
                body = inbox_page.render(
                    settings, preview.site, env, preview.token, outcome.problems
                )
                status = inbox_actions.status_of(outcome)
                self._send(status, "text/html; charset=utf-8", preview.decorate(body, False))
                return
            if outcome.anchor:
                preview.wait_for_anchor(outcome.page, outcome.anchor, ACCEPT_WAIT_SECONDS)
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", outcome.location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class Rebuilder(threading.Thread):
    """Debounced rebuilds: a burst of changes is one build; changes during a build, one more."""

    def __init__(self, preview: Preview, on_done: Callable[[bool], None]) -> None:
        super().__init__(daemon=True)
        self.preview = preview
        self.on_done = on_done
        self.pending = threading.Event()
        self.stopped = False
        self.changes = 0

    def poke(self) -> None:
        self.changes += 1
        self.pending.set()

    def run(self) -> None:
        while not self.stopped:
            self.pending.wait()
            if self.stopped:
                return
            seen = -1
            while seen != self.changes:  # wait for the burst to settle
                seen = self.changes
                time.sleep(DEBOUNCE_SECONDS)
            self.pending.clear()
            self.on_done(self.preview.rebuild())

    def stop(self) -> None:
        self.stopped = True
        self.pending.set()


class _Watch(FileSystemEventHandler):
    def __init__(self, preview: Preview, rebuilder: Rebuilder) -> None:
        self.preview = preview
        self.rebuilder = rebuilder

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [Path(str(event.src_path))]
        if getattr(event, "dest_path", ""):
            paths.append(Path(str(event.dest_path)))
        relevant = [p for p in paths if not _ignored(p, self.preview.root)]
        for path in relevant:
            self.preview.changed_path(path.absolute())
        if relevant:
            self.rebuilder.poke()


def _ignored(path: Path, root: Path) -> bool:
    """Editors' swap and backup files, version control, build folders."""
    try:
        parts = path.absolute().relative_to(root).parts
    except ValueError:
        parts = ()
    if IGNORED_PARTS & set(parts):
        return True
    return path.name.endswith(("~", ".swp", ".swx", ".tmp")) or path.name.startswith(".#")


def _site_path(root: Path) -> str:
    """The path of site.toml's base_url, which the preview serves the site under too (the
    site's own links carry it); '/' while site.toml cannot be read."""
    settings = load_settings(root, Problems())
    return urls.base_path(settings.base_url) if settings else "/"


def watched_folders(root: Path) -> list[Path]:
    found = [root / name for name in ("content", "themes", "templates", "static")]
    return [p for p in [*found, SHIPPED_THEMES] if p.is_dir()]


def serve(
    root: Path, host: str, port: int, base_url: str | None, out: Console, err: Console
) -> int:
    """Build, serve, watch and rebuild until Ctrl-C."""
    base = _site_path(root)
    preview = Preview(root, base_url or f"http://{host}:{port}{base}", base)

    def done(ok: bool) -> None:
        if ok:
            pages = sum(1 for p in preview.files if p.suffix == ".html")
            out.print(f"Rebuilt {pages} pages in {preview.seconds:.2f} s")
        else:
            for problem in preview.problems:
                err.print(
                    Text.assemble((f"{problem.path}:{problem.line}:", "bold"), " ", problem.message)
                )
            err.print(Text("The last good site is still served.", style="red"))

    rebuilder = Rebuilder(preview, done)
    observer = Observer()
    handler = _Watch(preview, rebuilder)
    for folder in watched_folders(root):
        observer.schedule(handler, str(folder), recursive=True)
    observer.schedule(handler, str(root), recursive=False)  # site.toml
    done(preview.rebuild())
    try:
        server = ThreadingHTTPServer((host, port), make_handler(preview, host))
    except OSError as error:
        err.print(f"cannot listen on {host}:{port}: {error.strerror}; try --port")
        return 1
    server.daemon_threads = True
    observer.start()
    rebuilder.start()
    out.print(
        f"Serving on http://{host}:{port}{base} (drafts and scheduled advices shown); Ctrl-C stops"
    )
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        out.print("Stopped.")
    finally:
        server.server_close()
        rebuilder.stop()
        observer.stop()
        observer.join(timeout=5)
    return 0
