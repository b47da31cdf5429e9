"""The comment tree: order, nesting, hidden comments and their replies, cycles."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from sovet.markdown import Rendered
from sovet.model import Comment, When, in_reading_order, reading
from sovet.problems import Problems
from sovet.threads import RawComment, thread


def raw(
    cid: str, hour: int, reply_to: str | None = None, *, hidden: bool = False, author: str = "Ольга"
) -> RawComment:
    when = When(dt.datetime(2026, 11, 20, hour, 0, tzinfo=dt.UTC), True)
    return RawComment(
        cid, author, when, reply_to, hidden, Rendered(f"<p>{cid}</p>", cid), f"{cid}.md", 4
    )


def shape(comments: tuple[Comment, ...]) -> list[object]:
    return [(c.id, c.depth, shape(c.children)) if c.children else c.id for c in comments]


def test_replies_nest_in_date_order() -> None:
    problems = Problems()
    tree = thread(
        [raw("b", 12), raw("a", 11), raw("c", 13, "a"), raw("d", 12, "a")], "", "", problems
    )
    assert not problems
    assert shape(tree) == [("a", 0, ["d", "c"]), "b"]
    assert tree[0].children[0].parent_id == "a"
    assert tree[0].children[0].depth == 1


def test_same_time_orders_by_id() -> None:
    tree = thread([raw("b", 11), raw("a", 11)], "", "", Problems())
    assert [c.id for c in tree] == ["a", "b"]


def test_hidden_comment_replies_move_to_nearest_visible_ancestor() -> None:
    comments = [
        raw("a", 10),
        raw("h", 11, "a", hidden=True),
        raw("r1", 12, "h"),
        raw("h2", 12, "h", hidden=True),
        raw("r2", 13, "h2"),
        raw("top", 9, hidden=True),
        raw("orphan", 14, "top"),
    ]
    tree = thread(comments, "", "", Problems())
    assert shape(tree) == [("a", 0, ["r1", "r2"]), "orphan"]
    assert tree[0].children[1].parent_id == "a"
    assert all(c.id not in ("h", "h2", "top") for t in tree for c in t.walk())


def test_missing_target_and_cycles_are_problems() -> None:
    problems = Problems()
    tree = thread(
        [raw("a", 10, "b"), raw("b", 11, "a"), raw("c", 12, "nope"), raw("d", 13, "d")],
        "",
        "",
        problems,
    )
    messages = [str(p) for p in problems.sorted()]
    assert "c.md:4: reply_to 'nope': no comment with that id in this advice" in messages
    assert any(m.startswith("a.md:4: reply_to forms a cycle: a -> b -> a") for m in messages)
    assert any(m.startswith("d.md:4: reply_to forms a cycle: d -> d") for m in messages)
    assert {c.id for t in tree for c in t.walk()} == {"a", "b", "c", "d"}


def test_badges_come_from_the_role_or_the_name_exactly_as_written() -> None:
    comments = [
        raw("a", 10, author="Иван К."),
        raw("b", 11, author="илья  кравец"),  # like the columnist, but not as written
        raw("c", 12, author="Илья Кравец"),
        replace(raw("d", 13, author="Илья Кравец"), role="reader"),
        replace(raw("e", 14, author="Гость"), role="asker"),
    ]
    tree = thread(comments, "Иван К.", "Илья Кравец", Problems())
    assert [(c.id, c.is_asker, c.is_columnist) for c in tree] == [
        ("a", True, False),
        ("b", False, False),
        ("c", False, True),
        ("d", False, False),
        ("e", True, False),
    ]


def test_a_thread_thousands_deep_is_threaded_without_recursion() -> None:
    depth = 3000
    comments = [raw("c0", 0)] + [raw(f"c{n}", 0, f"c{n - 1}") for n in range(1, depth)]
    comments += [raw("h", 0, "c10", hidden=True), raw("under-h", 1, "h")]
    problems = Problems()
    tree = thread(comments, "", "", problems)
    assert not problems
    walked = tree[0].walk()
    assert [c.id for c in walked[:3]] == ["c0", "c1", "c2"]
    assert max(c.depth for c in walked) == depth - 1
    assert next(c for c in walked if c.id == "under-h").parent_id == "c10"
    ends = {c.id: n for c, n in reading(tree)}
    # The deepest reply closes the lists up to c11 (c10 has one more reply after it); that
    # reply, the last of all, closes every list above it.
    assert ends[f"c{depth - 1}"] == depth - 1 - 11 and ends["under-h"] == 11


def test_a_long_cycle_is_found_in_linear_time() -> None:
    size = 20_000
    comments = [raw(f"c{n}", 0, f"c{(n + 1) % size}") for n in range(size)]
    problems = Problems()
    thread(comments, "", "", problems)
    assert len(problems) == size  # each comment of the cycle names it, briefly
    assert str(problems.items[5]) == (
        "c5.md:4: reply_to forms a cycle: c5 -> c6 -> c7 -> … (20000 comments) -> c5"
    )


@given(st.lists(st.integers(min_value=-1, max_value=30), max_size=30))
def test_the_comments_alone_come_in_the_order_reading_counts_them(parents: list[int]) -> None:
    """in_reading_order is `reading` without its counts: the same comments, the same order."""
    comments = [
        raw(f"c{n}", n % 24, f"c{p}" if 0 <= p < n else None) for n, p in enumerate(parents)
    ]
    tree = thread(comments, "", "", Problems())
    assert in_reading_order(tree) == [c for c, _ in reading(tree)]
    assert sorted(c.id for c in in_reading_order(tree)) == sorted(c.id for c in comments)
