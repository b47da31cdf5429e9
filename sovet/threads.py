"""The comment tree: replies under their targets, hidden comments removed, their replies kept.

A reply to a hidden comment moves up to the nearest visible ancestor (or to the top level), so
the editors can remove one comment without losing the discussion under it.
"""

from __future__ import annotations

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


def same_person(a: str, b: str) -> bool:
    """Signatures match regardless of case and spacing: 'Иван К.' is 'иван  к.'."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def thread(
    raw: list[RawComment], asker: str, columnist: str, problems: Problems
) -> tuple[Comment, ...]:
    """Top-level comments with their visible replies nested, ordered by date, then id."""
    by_id = {c.id: c for c in raw}
    parent = _checked_parents(raw, by_id, problems)
    children: dict[str | None, list[RawComment]] = {}
    for comment in raw:
        if comment.hidden:
            continue
        up = parent[comment.id]
        while up is not None and by_id[up].hidden:
            up = parent[up]
        children.setdefault(up, []).append(comment)

    def build(comment: RawComment, parent_id: str | None, depth: int) -> Comment:
        replies = sorted(children.get(comment.id, []), key=_order)
        return Comment(
            id=comment.id,
            author=comment.author,
            when=comment.when,
            body=comment.body,
            parent_id=parent_id,
            depth=depth,
            is_asker=same_person(comment.author, asker),
            is_columnist=same_person(comment.author, columnist),
            children=tuple(build(reply, comment.id, depth + 1) for reply in replies),
            source=comment.source,
        )

    return tuple(build(c, None, 0) for c in sorted(children.get(None, []), key=_order))


def _order(comment: RawComment) -> tuple[object, str]:
    return comment.when.at, comment.id


def _checked_parents(
    raw: list[RawComment], by_id: dict[str, RawComment], problems: Problems
) -> dict[str, str | None]:
    """Each comment's reply target; missing targets and cycles become problems (and roots)."""
    parent: dict[str, str | None] = {}
    for comment in raw:
        target = comment.reply_to
        if target is not None and target not in by_id:
            hint = did_you_mean(target, by_id)
            message = f"reply_to '{target}': no comment with that id in this advice{hint}"
            problems.add(comment.source, comment.reply_line, message)
            target = None
        parent[comment.id] = target
    for comment in raw:
        chain = [comment.id]
        up = parent[comment.id]
        while up is not None and up not in chain:
            chain.append(up)
            up = parent[up]
        if up is not None and up == comment.id:
            path = " -> ".join([*chain, comment.id])
            problems.add(comment.source, comment.reply_line, f"reply_to forms a cycle: {path}")
    for comment in raw:
        seen = {comment.id}
        up = parent[comment.id]
        while up is not None:
            if up in seen:
                parent[comment.id] = None
                break
            seen.add(up)
            up = parent[up]
    return parent
