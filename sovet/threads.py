"""The comment tree: replies under their targets, hidden comments removed, their replies kept.

A reply to a hidden comment moves up to the nearest visible ancestor (or to the top level), so
the editors can remove one comment without losing the discussion under it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .bodies import Body
from .model import Comment, When
from .problems import Problems, did_you_mean


@dataclass(frozen=True)
class RawComment:
    """A comment as checked from its file, before threading."""

    id: str
    author: str
    when: When
    reply_to: str | None
    hidden: bool
    body: Body
    source: str
    reply_line: int
    role: str | None = None  # reader, asker or columnist; None: by the name as written
    anchors: tuple[str, ...] = ()


def is_role(comment: RawComment, role: str, name: str) -> bool:
    """Whether a comment gets the asker's or the columnist's badge: its `role` says so, or,
    without one, it is signed with that name exactly as written. A reader's typed name never
    earns a badge by itself: the inbox writes `role: reader` unless the editors say otherwise."""
    if comment.role is not None:
        return comment.role == role
    return bool(name) and comment.author == name


def thread(
    raw: list[RawComment],
    asker: str,
    columnist: str,
    problems: Problems,
    broken: Mapping[str, str] | None = None,
) -> tuple[Comment, ...]:
    """Top-level comments with their visible replies nested, ordered by date, then id.

    BROKEN names the comments whose files could not be used (id -> file): a reply to one is
    reported as waiting on that file. Threads of any depth take time linear in the comments
    and no recursion."""
    by_id = {c.id: c for c in raw}
    parent = _checked_parents(raw, by_id, problems, broken or {})
    children: dict[str | None, list[RawComment]] = {}
    for comment in raw:
        if not comment.hidden:
            children.setdefault(_visible_parent(comment.id, parent, by_id), []).append(comment)
    for replies in children.values():
        replies.sort(key=_order)
    # Depths from the top down, then each comment built after all its replies.
    depth: dict[str, int] = {}
    reading: list[tuple[RawComment, str | None]] = []
    stack: list[tuple[RawComment, str | None]] = [
        (c, None) for c in reversed(children.get(None, []))
    ]
    while stack:
        comment, parent_id = stack.pop()
        depth[comment.id] = 0 if parent_id is None else depth[parent_id] + 1
        reading.append((comment, parent_id))
        stack.extend((reply, comment.id) for reply in reversed(children.get(comment.id, [])))
    built: dict[str, Comment] = {}
    for comment, parent_id in reversed(reading):
        built[comment.id] = Comment(
            id=comment.id,
            author=comment.author,
            when=comment.when,
            body=comment.body,
            parent_id=parent_id,
            depth=depth[comment.id],
            is_asker=is_role(comment, "asker", asker),
            is_columnist=is_role(comment, "columnist", columnist),
            children=tuple(built[reply.id] for reply in children.get(comment.id, [])),
            source=comment.source,
            anchors=comment.anchors,
        )
    return tuple(built[c.id] for c in children.get(None, []))


def _order(comment: RawComment) -> tuple[object, str]:
    return comment.when.at, comment.id


def _visible_parent(
    comment_id: str, parent: dict[str, str | None], by_id: dict[str, RawComment]
) -> str | None:
    """The nearest ancestor that is not hidden; the hidden ones passed on the way are pointed
    at it, so a long chain of hidden comments is walked once."""
    passed = []
    up = parent[comment_id]
    while up is not None and by_id[up].hidden:
        passed.append(up)
        up = parent[up]
    for hidden in passed:
        parent[hidden] = up
    return up


def _checked_parents(
    raw: list[RawComment],
    by_id: dict[str, RawComment],
    problems: Problems,
    broken: Mapping[str, str],
) -> dict[str, str | None]:
    """Each comment's reply target; missing targets and cycles become problems (and roots)."""
    parent: dict[str, str | None] = {}
    for comment in raw:
        target = comment.reply_to
        if target is not None and target in broken and target not in by_id:
            message = (
                f"reply_to '{target}': the comment it answers is broken "
                f"({broken[target]}, see above)"
            )
            problems.add(comment.source, comment.reply_line, message, after=broken[target])
            target = None
        elif target is not None and target not in by_id:
            hint = did_you_mean(target, by_id)
            message = f"reply_to '{target}': no comment with that id in this advice{hint}"
            problems.add(comment.source, comment.reply_line, message)
            target = None
        parent[comment.id] = target
    for cycle in _cycles(parent):
        for start in range(len(cycle)):
            comment = by_id[cycle[start]]
            path = _path(cycle, start)
            problems.add(comment.source, comment.reply_line, f"reply_to forms a cycle: {path}")
        for member in cycle:
            parent[member] = None
    return parent


def _path(cycle: list[str], start: int) -> str:
    """The cycle from one of its comments back to it; a long one shortened, so that a cycle
    of thousands does not make thousands of messages thousands of ids long."""
    if len(cycle) <= 6:
        return " -> ".join([*cycle[start:], *cycle[: start + 1]])
    ids = [cycle[(start + step) % len(cycle)] for step in range(3)]
    return f"{' -> '.join(ids)} -> … ({len(cycle)} comments) -> {ids[0]}"


def _cycles(parent: dict[str, str | None]) -> list[list[str]]:
    """Every cycle of reply targets, each in the order its replies point; each comment is
    walked once (a comment's chain stops where a walk already went)."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    found = []
    for start in parent:
        walk = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            walk.append(node)
            node = parent[node]
        if node is not None and state[node] == 1:
            found.append(walk[walk.index(node) :])
        for visited in walk:
            state[visited] = 2
    return found
