"""The link check's hints: worth it for the first broken links, bounded for thousands."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from sovet import links


def test_hints_stop_once_they_have_compared_enough_pages(tmp_path: Path) -> None:
    """A column linking to an old site's addresses: the first broken links get a hint, and
    hints stop once they have compared HINT_PAGES pages; every link is still reported."""
    pages = [f"/advice/sovet-{number}/" for number in range(15_000)]
    targets = links.Targets(frozenset(pages), lambda url: frozenset())
    settings = SimpleNamespace(base_url="https://example.org/", root=tmp_path / "site")
    site = cast(Any, SimpleNamespace(settings=settings))
    broken = [("comment.md", "/advice/sovet-1/", f"/advice/sovet-{n}x/", 3) for n in range(5)]
    problems = links.check_these(site, targets, broken)
    assert len(problems) == 5
    hinted = [problem for problem in problems if "did you mean" in problem.message]
    assert len(hinted) == 2  # 15 000 pages compared, then 30 000: past HINT_PAGES
    assert 'did you mean "/advice/sovet-0/"' in hinted[0].message
