"""The comment tree: order, nesting, hidden comments and their replies, cycles."""

from __future__ import annotations

import datetime as dt

from sovet.markdown import Rendered
from sovet.model import Comment, When
from sovet.problems import Problems
from sovet.threads import RawComment, same_person, thread


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


def test_asker_and_columnist_marks() -> None:
    comments = [raw("a", 10, author="Иван К."), raw("b", 11, author="илья  кравец"), raw("c", 12)]
    tree = thread(comments, "Иван К.", "Илья Кравец", Problems())
    assert [(c.is_asker, c.is_columnist) for c in tree] == [
        (True, False),
        (False, True),
        (False, False),
    ]
    assert same_person("Иван  К.", "иван к.")
