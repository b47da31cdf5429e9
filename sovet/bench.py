"""`make bench`: sovet against the markdown floor on synthetic columns of 1 000 and 10 000 advices.

Not a test: it prints a table and writes docs/benchmarks.md. Every figure is also given as a
ratio to the floor measured in the same run (markdown-it-py rendering every body once, in one
process, nothing else), since absolute seconds move from machine to machine.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

PROJECT = Path(__file__).resolve().parent.parent
GENERATOR = PROJECT.parent / "shared" / "bench" / "gen_corpus.py"
WORK = PROJECT / ".bench"
CLOCK = "2100-01-01"  # every generated advice is published


@dataclass
class Row:
    name: str
    times: list[float]
    peak_mb: float | None = None
    total_mb: float | None = None
    cpu_s: float | None = None  # user + system, every process of the build
    search_cpu_s: float | None = None  # of it, Pagefind's
    index_kb: float | None = None  # a search query: what it loads of the index
    requests: int | None = None

    def add(self, run: Measured) -> None:
        """One more run: its time, and the least CPU and the most memory seen so far."""
        self.times.append(run.seconds)
        self.peak_mb = max(self.peak_mb or 0, run.peak_mb)
        self.total_mb = max(self.total_mb or 0, run.total_mb)
        self.cpu_s = min(self.cpu_s or run.cpu_s, run.cpu_s)
        self.search_cpu_s = min(self.search_cpu_s or run.search_cpu_s, run.search_cpu_s)

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def corpus(advices: int) -> Path:
    """The synthetic column of gen_corpus.py (seed 1), generated once and kept in .bench/."""
    folder = WORK / f"column-{advices}"
    if not (folder / "site.toml").is_file():
        if not GENERATOR.is_file():
            sys.exit("gen_corpus.py not found at ../shared/bench/: cannot make the corpus")
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                str(GENERATOR),
                str(folder),
                "--flavor",
                "column",
                "--advices",
                str(advices),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return folder


def floor(site: Path) -> float:
    """markdown-it-py's commonmark renderer over every body once: what no builder can beat."""
    bodies = [
        p.read_text("utf-8").split("---", 2)[2] for p in sorted(site.rglob("content/**/*.md"))
    ]
    md = MarkdownIt("commonmark")
    started = time.perf_counter()
    for body in bodies:
        md.render(body)
    return time.perf_counter() - started


@dataclass(frozen=True)
class Measured:
    """One `build.py build` run."""

    seconds: float
    peak_mb: float  # the largest process's peak resident memory
    total_mb: float  # the peak of all the build's processes together (proportional set size)
    cpu_s: float  # user + system time of the build and every process it waited for
    search_cpu_s: float  # of it, the Pagefind processes' (sampled: at most a TICK short each)


def timed_build(site: Path, out: Path, *flags: str) -> Measured:
    """Run one build and measure it."""
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--site", str(site)]
    # The synthetic column's comments link to /advice/<number>/, another generator's
    # addresses: broken here, and published anyway as a column in that state would be.
    command += ["--out", str(out), "--clock", CLOCK, "--quiet", "--allow-broken-links", *flags]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    sampler = TreeSampler(process.pid)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)  # its usage counts the processes it waited for
    seconds = time.perf_counter() - started
    sampler.stop()
    if status != 0:
        sys.exit(f"build failed: {' '.join(command)}")
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, usage.ru_maxrss / 1024, sampler.peak_mb, cpu, sampler.search_cpu)


class TreeSampler(threading.Thread):
    """Samples a process and all its descendants (workers, Pagefind): their memory together,
    and the CPU time of each Pagefind process.

    Resident sizes would count the pages forked workers share with the build process once
    per process; the proportional set size shares them out, so the sum is what the machine
    really gives the build.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self.pagefind_cpu: dict[int, float] = {}
        self.done = threading.Event()

    @property
    def search_cpu(self) -> float:
        return sum(self.pagefind_cpu.values())

    def run(self) -> None:
        """Memory every MEMORY_EVERY ticks; Pagefind's CPU every tick. A Pagefind process is
        killed as soon as its part is read, and the CPU it used since the last tick is lost
        with it: at a tick of 0.2 s, 20 parts came out 2.3 s short of 6.4 s at 1 000 advices."""
        ticks = 0
        while not self.done.wait(TICK):
            if ticks % MEMORY_EVERY == 0:
                tree = _tree(self.pid)
                self.peak_mb = max(self.peak_mb, sum(map(_pss_kb, tree)) / 1024)
            ticks += 1
            for pid in _children(self.pid):  # Pagefind is the build's own child
                name, cpu = _cpu(pid)
                if name == "pagefind":
                    self.pagefind_cpu[pid] = cpu

    def stop(self) -> None:
        self.done.set()
        self.join()


TICK = 0.02  # seconds between two samples of Pagefind's CPU
MEMORY_EVERY = 10  # ticks between two samples of the memory (a walk of every process)


def _children(pid: int) -> list[int]:
    """The processes PID started (of each of its threads), those still running."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found.extend(int(child) for child in children.read().split())
    except OSError:
        pass
    return found


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(_children(current))
    return found


def _cpu(pid: int) -> tuple[str, float]:
    """A process's name and CPU time so far (user + system seconds), from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            head, _, tail = stat.read().rpartition(")")
    except OSError:
        return "", 0.0
    fields = tail.split()  # fields 3 onwards; utime and stime are fields 14 and 15
    ticks = int(fields[11]) + int(fields[12])
    return head.partition("(")[2], ticks / os.sysconf("SC_CLK_TCK")


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(site: Path, runs: int) -> list[Row]:
    out = WORK / "out"
    rows = []
    for jobs in ("1", "2"):
        row = Row(f"cold build, --jobs {jobs}", [])
        for _ in range(runs):
            shutil.rmtree(site / ".sovet-cache", ignore_errors=True)
            row.add(timed_build(site, out, "--jobs", jobs, "--no-cache"))
        rows.append(row)
    rows.append(without_search(site, out, runs))
    timed_build(site, out, "--jobs", "2")  # fills the cache
    warm = Row("warm rebuild, nothing changed", [])
    for _ in range(runs):
        warm.times.append(timed_build(site, out, "--jobs", "2").seconds)
    rows.append(warm)
    rows.extend(publish_edits(site, out, runs))
    query = search_query(out, runs)
    if query is not None:
        rows.append(query)
    rows.extend(serve_edits(site, runs))
    rows.append(import_row(site, runs))
    return rows


def without_search(site: Path, out: Path, runs: int) -> Row:
    """A cold build with `[search] enabled = false`: what the rest of the build costs."""
    settings = site / "site.toml"
    original = settings.read_text("utf-8")
    settings.write_text(original + "\n[search]\nenabled = false\n", "utf-8")
    row = Row("cold build, --jobs 2, search off", [])
    try:
        for _ in range(runs):
            row.add(timed_build(site, out, "--jobs", "2", "--no-cache"))
    finally:
        settings.write_text(original, "utf-8")
    return row


# One new comment as an editor accepts it: in words the column has (another comment's, by its
# author) and with one it has not (every part of the search index holds the column's words, so
# that one makes them all again). The other edits also reuse the column's own words.
NEW_WORD = "зюзюкалка"


def publish_edits(site: Path, out: Path, runs: int) -> list[Row]:
    """`build` with its cache after one change, search on: what publishing a change costs."""
    folders = sorted((site / "content" / "advice").iterdir())
    middle = folders[len(folders) // 2]
    donor = folders[len(folders) // 3]
    head, _, said = (donor / "comments" / "c000.md").read_text("utf-8").partition("\n---\n")
    author = next(line for line in head.splitlines() if line.startswith("author:"))
    rows = []

    def comment(extra: str) -> Callable[[int], Callable[[], None]]:
        def edit(run: int) -> Callable[[], None]:
            path = middle / "comments" / f"bench-{run}.md"
            date = f"2099-12-31 12:{run:02d}"
            path.write_text(f"---\n{author}\ndate: {date}\n---\n{said}{extra}", "utf-8")
            return path.unlink

        return edit

    def answer(run: int) -> Callable[[], None]:
        path = middle / "answer.md"
        original = path.read_text("utf-8")
        first = original.partition("\n---\n")[2].strip().split("\n\n")[0]
        path.write_text(original + "\n" + first + "\n", "utf-8")

        def undo() -> None:
            path.write_text(original, "utf-8")

        return undo

    def advice(run: int) -> Callable[[], None]:
        folder = site / "content" / "advice" / f"zzz-bench-{run}"
        folder.mkdir()
        shutil.copy(donor / "question.md", folder / "question.md")
        answer = (donor / "answer.md").read_text("utf-8").partition("\n---\n")[2]
        (folder / "answer.md").write_text(f"---\ndate: 2099-12-31 10:00\n---\n{answer}", "utf-8")
        return partial(shutil.rmtree, folder)

    for name, edit in (
        ("one comment added (words the column has)", comment("")),
        ("one comment added (a word new to the column)", comment(f"\n{NEW_WORD}\n")),
        ("one answer edited", answer),
        ("one advice added", advice),
    ):
        row = Row(f"publish, then build: {name}", [])
        timed_build(site, out, "--jobs", "2")  # the cache and the output as they were
        for run in range(runs):
            undo = edit(run)
            row.add(timed_build(site, out, "--jobs", "2"))
            undo()
            timed_build(site, out, "--jobs", "2")
        rows.append(row)
    return rows


def import_row(site: Path, runs: int) -> Row:
    """`import wordpress` of the same column written as WordPress's export, into a new site:
    it should take less than building the column."""
    export = wordpress_export(site, WORK / "export.xml")
    row = Row("import wordpress (the same column as WXR)", [])
    target = WORK / "imported"
    for _ in range(runs):
        shutil.rmtree(target, ignore_errors=True)
        (target / "content").mkdir(parents=True)
        shutil.copy(site / "site.toml", target / "site.toml")
        command = [sys.executable, str(PROJECT / "build.py"), "import", "wordpress", str(export)]
        started = time.perf_counter()
        subprocess.run([*command, "--site", str(target), "-q"], check=True)
        row.times.append(time.perf_counter() - started)
    return row


def wordpress_export(site: Path, target: Path) -> Path:
    """The column as WordPress would export it (WXR 1.2): each advice a post whose letter and
    answer are split by <!--more-->, each comment with its parent."""
    from xml.sax.saxutils import escape

    def cdata(text: str) -> str:
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"

    def body(path: Path) -> str:
        return path.read_text("utf-8").split("\n---\n", 1)[1]

    def front(path: Path, key: str) -> str:
        head = path.read_text("utf-8").split("\n---\n", 1)[0]
        return next(
            (ln.split(":", 1)[1].strip() for ln in head.split("\n") if ln.startswith(key + ":")), ""
        )

    with target.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench</title><link>https://old.example</link>\n"
        )
        number = 1
        for folder in sorted((site / "content" / "advice").iterdir()):
            post_id, number = number, number + 1
            question, answer = folder / "question.md", folder / "answer.md"
            date = front(answer, "date")[:16] + ":00"
            out.write(
                f"<item><title>{cdata(front(question, 'title'))}</title>"
                f"<link>https://old.example/{folder.name}/</link>"
                f"<dc:creator>{cdata('editor')}</dc:creator>"
                f"<content:encoded>{cdata(body(question) + chr(10) + '<!--more-->' + chr(10) + body(answer))}</content:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt>"
                f"<wp:post_name>{cdata(folder.name)}</wp:post_name><wp:status>{cdata('publish')}</wp:status>"
                f"<wp:post_type>{cdata('post')}</wp:post_type>"
            )
            ids: dict[str, int] = {}
            for comment in sorted((folder / "comments").glob("*.md")):
                ids[comment.stem] = number
                number += 1
            for comment in sorted((folder / "comments").glob("*.md")):
                parent = ids.get(front(comment, "reply_to"), 0)
                out.write(
                    f"<wp:comment><wp:comment_id>{ids[comment.stem]}</wp:comment_id>"
                    f"<wp:comment_author>{cdata(front(comment, 'author').strip(chr(34)))}</wp:comment_author>"
                    f"<wp:comment_date_gmt>{cdata(front(comment, 'date')[:16] + ':00')}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{cdata(escape(body(comment)))}</wp:comment_content>"
                    f"<wp:comment_approved>{cdata('1')}</wp:comment_approved>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
                )
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")
    return target


QUERY = "оплата"


def search_query(out: Path, runs: int) -> Row | None:
    """A reader's query on the built search page in Chromium, the browser's cache empty each
    time: how long until the first result shows, and how many bytes of the index it loads.
    None when there is no Chromium (Debian's package) to run it in."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return None
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/search/?q={QUERY}"
    row = Row(f"search: «{QUERY}» in Chromium, to the first result", [])
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=flags)
            for _ in range(max(runs, 3)):
                context = browser.new_context()
                page = context.new_page()
                loaded: list[int] = []
                page.on("requestfinished", partial(_count_index, loaded))
                started = time.perf_counter()
                page.goto(url)
                page.wait_for_selector(".search-result", timeout=60_000)
                row.times.append(time.perf_counter() - started)
                row.index_kb = max(row.index_kb or 0, sum(loaded) / 1024)
                row.requests = len(loaded)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return row


def _count_index(loaded: list[int], request: Any) -> None:
    if "/pagefind/" in request.url:
        loaded.append(request.sizes()["responseBodySize"])


def serve_edits(site: Path, runs: int) -> list[Row]:
    """`serve`'s rebuild after one comment file and after one answer changed."""
    from .serve import Preview

    preview = Preview(site, "http://127.0.0.1:8000/")
    preview.rebuild()
    rows = []
    for name, pattern in (
        ("comment", "content/advice/*/comments/*.md"),
        ("answer", "content/advice/*/answer.md"),
    ):
        files = sorted(site.glob(pattern))
        row = Row(f"serve: one {name} changed", [])
        for run in range(max(runs, 3)):
            path = files[(len(files) // 2 + run * 7) % len(files)]
            original = path.read_text("utf-8")
            path.write_text(original + f"\nПравка {run}.\n", "utf-8")
            preview.changed_path(path.absolute())
            started = time.perf_counter()
            preview.rebuild()
            row.times.append(time.perf_counter() - started)
            path.write_text(original, "utf-8")
            preview.changed_path(path.absolute())
            preview.rebuild()
        rows.append(row)
    return rows


def table(results: dict[int, tuple[float, list[Row]]]) -> str:
    def size(advices: int) -> str:
        return f"{advices:,}".replace(",", "\u00a0")

    def cpu(seconds: float | None, floor_s: float) -> str:
        return f"{seconds:.1f} ({seconds / floor_s:.2f}x)" if seconds else ""

    lines = [
        "| corpus | measurement | min s | median s | x floor (min) "
        "| peak MB, largest process | peak MB, all processes "
        "| CPU s, all processes (x floor) | of it Pagefind (x floor) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for advices, (floor_s, rows) in results.items():
        lines.append(
            f"| {size(advices)} advices | markdown floor (1 process) | {floor_s:.2f} | | 1.00 "
            "| | | | |"
        )
        for row in rows:
            if row.index_kb is not None:
                row.name += f" ({row.index_kb:.0f} KB of the index in {row.requests} requests)"
            peak = f"{row.peak_mb:.0f}" if row.peak_mb else ""
            total = f"{row.total_mb:.0f}" if row.total_mb else ""
            lines.append(
                f"| {size(advices)} advices | {row.name} | {row.best:.3f} | {row.median:.3f} "
                f"| {row.best / floor_s:.2f} | {peak} | {total} "
                f"| {cpu(row.cpu_s, floor_s)} | {cpu(row.search_cpu_s, floor_s)} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (1 at 10 000+)")
    args = parser.parse_args(argv)
    # An installed sovet runs from compiled modules (pip compiles them as it installs); an
    # editable one compiles on first use, or on every run where writing bytecode is turned
    # off (PYTHONDONTWRITEBYTECODE), which would add 0.07 s to every build measured.
    compileall.compile_dir(PROJECT / "sovet", quiet=1)
    results: dict[int, tuple[float, list[Row]]] = {}
    for advices in args.sizes:
        site = corpus(advices)
        runs = args.runs if advices < 10000 else 1
        print(f"{advices} advices: measuring ({runs} run(s) each)...", flush=True)
        results[advices] = (floor(site), measure(site, runs))
    text = table(results)
    print(text)
    cores = len(os.sched_getaffinity(0))
    header = (
        f"# Benchmarks\n\nMeasured by `make bench` on {dt.date.today().isoformat()}, "
        f"{cores} cores, Python {sys.version.split()[0]}. Corpora from "
        "`../shared/bench/gen_corpus.py --flavor column` (seed 1, about 10 comments per advice).\n\n"
    )
    target = PROJECT / "docs" / "benchmarks.md"
    notes = ""
    if target.is_file() and "\n## Notes" in target.read_text("utf-8"):
        notes = "\n## Notes" + target.read_text("utf-8").split("\n## Notes", 1)[1]
    target.write_text(header + text + "\n" + notes, "utf-8")
    print(f"written to {target.relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
