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


def test_a_hint_is_taken_from_the_last_build_only_among_the_same_pages(tmp_path: Path) -> None:
    """The last build's hint for a broken link is reused while its folder holds the same
    pages; a page added to the folder makes it worked out again, and either way the hint
    is kept for the next build."""
    settings = SimpleNamespace(base_url="https://example.org/", root=tmp_path / "site")
    site = cast(Any, SimpleNamespace(settings=settings))
    broken = [("comment.md", "/advice/a/", "/advice/sovet-1x/", 3)]
    pages = frozenset(f"/advice/sovet-{number}/" for number in range(3))
    first = links.Hints()
    problems = links.check_these(site, links.Targets(pages, lambda url: frozenset(), first), broken)
    assert 'did you mean "/advice/sovet-1/"' in problems[0].message
    # What the next build reads back, as if the last one had found another answer.
    last = {key: ' (did you mean "/advice/remembered/"?)' for key in first.made}
    again = links.Hints(last)
    problems = links.check_these(site, links.Targets(pages, lambda url: frozenset(), again), broken)
    assert 'did you mean "/advice/remembered/"' in problems[0].message
    assert again.made == last
    more = pages | {"/advice/sovet-1y/"}
    changed = links.Hints(last)
    problems = links.check_these(
        site, links.Targets(more, lambda url: frozenset(), changed), broken
    )
    assert 'did you mean "/advice/sovet-1/"' in problems[0].message
