"""`/_inbox/` in `serve`: every pending submission shown as its thread would show it, with
the buttons that do what `inbox accept`, `reject` and `restore` do.

The page is made on each request from the inbox files and the last good site; it is never
part of a build. A submission's words take the readers' path into HTML (the safe renderer,
typography, the theme's comment template); everything else is escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import jinja2

from .. import urls
from ..content.schema import ROLES
from ..letters import answer, telling
from ..markdown import render_reader
from ..model import Advice, Comment, Site, When
from ..problems import Problem, Problems
from ..render.theme import site_translations
from ..scaffold import next_comment_id
from ..settings import Settings
from ..typography import typeset_text
from . import review
from .store import REJECTED, Entry, Inbox, InboxError
from .submission import SPAM_FLAGS, is_spam
from .text import first_line

PATH = "/_inbox/"

_STYLE = """
.inbox{max-width:46rem;margin:0 auto;padding:1rem}
.inbox-item{border:1px solid var(--rule,#ccc);border-radius:6px;padding:0.75rem 1rem;margin:1rem 0}
.inbox-item--flagged{border-color:#c0392b}
.inbox-item__meta{font:0.8rem/1.4 var(--sans,sans-serif);color:var(--muted,#666);margin:0}
.inbox-item__flags{color:#c0392b;font-weight:700}
.inbox-item__context{font:0.85rem var(--sans,sans-serif);color:var(--muted,#666)}
.inbox-item__problems{color:#c0392b;font:0.9rem var(--sans,sans-serif)}
.inbox-item__actions{display:flex;flex-wrap:wrap;gap:0.5rem 1rem;align-items:end;
font:0.9rem var(--sans,sans-serif);margin-top:0.5rem}
.inbox-item__actions label{display:block;font-size:0.8rem;color:var(--muted,#666)}
.inbox-problems{border:2px solid #c0392b;padding:0.5rem 1rem}
.inbox-reject{background:transparent;color:inherit;border:1px solid currentColor}
"""


def ui(settings: Settings) -> dict[str, str]:
    """The page's words from the theme's catalogue, in the site's language."""
    t = site_translations(settings)
    return {
        "title": t.gettext("Comment inbox"),
        "rejected": t.gettext("Rejected"),
        "empty": t.gettext("Nothing waiting: the inbox is empty."),
        "import": t.gettext("Import with: python build.py inbox import FILE..."),
        "accept": t.gettext("Publish"),
        "reject": t.gettext("Reject"),
        "restore": t.gettext("Restore"),
        "reject_flagged": t.gettext("Reject all flagged"),
        "name": t.gettext("Name"),
        "reply_to": t.gettext("In reply to"),
        "top": t.gettext("— the discussion itself —"),
        "advice": t.gettext("Advice"),
        "none": t.gettext("— choose —"),
        "problems": t.gettext("Cannot publish as it is"),
        "no_advice": t.gettext("No advice named"),
        "preview": t.gettext("As it will appear"),
        "spam": t.gettext("Spam?"),
        "role": t.gettext("Publish as"),
        "reader": t.gettext("a reader"),
        "asker": t.gettext("the asker"),
        "columnist": t.gettext("the columnist"),
        "letters": t.gettext("Letters"),
        "letter_title": t.gettext("Title"),
        "signature": t.gettext("Signed"),
        "answer": t.gettext("Answer as a draft advice"),
        "force": t.gettext("Answer without consent"),
        "no_consent": t.gettext("The reader did not agree to publication."),
        "tell": t.gettext("To tell: their advice is out"),
        "write": t.gettext("Write to the asker"),
        "told": t.gettext("Told"),
        "rubric": t.gettext("Rubric"),
    }


def counts(settings: Settings, pending: int, flagged: int) -> str:
    """ "1 ждёт решения · 2 похожи на спам": every count through the plural forms."""
    t = site_translations(settings)
    text = t.ngettext("%(num)d pending", "%(num)d pending", pending) % {"num": pending}
    if flagged:
        spam = t.ngettext("%(num)d flagged as spam", "%(num)d flagged as spam", flagged)
        text += " · " + spam % {"num": flagged}
    return text


def flag_reasons(settings: Settings) -> dict[str, str]:
    t = site_translations(settings)
    return {
        "honeypot": t.gettext("the hidden field was filled"),
        "links": t.gettext("more links than [inbox] max_links"),
        "repeat": t.gettext("the text of a rejected submission"),
        "form-time": t.gettext("the form's time is missing, unreadable or after the submission"),
        "name": t.gettext(
            "signed with the columnist's or the asker's name: published as a reader's"
        ),
        "consent": t.gettext("a letter without consent to publish it: answer it only with --force"),
        "asker": t.gettext(
            "sent from the address of the letter this advice answers: published as the asker's"
        ),
    }


def render(
    settings: Settings,
    site: Site | None,
    env: jinja2.Environment | None,
    token: str,
    shown_problems: Sequence[Problem] = (),
) -> bytes:
    """The whole page: pending submissions by advice, then the rejected ones."""
    words = ui(settings)
    esc = html.escape
    problems = Problems()
    try:
        groups = review.pending_by_advice(settings, problems)
        rejected = Inbox(settings).entries(REJECTED, problems)
    except InboxError as error:
        items = "".join(f"<li>{esc(str(p))}</li>" for p in error.problems)
        main = f"<h1>{esc(words['title'])}</h1><ul class='inbox-problems'>{items}</ul>"
        return _document(settings, env, words["title"], main).encode("utf-8")
    letters = review.pending_letters(settings, problems)
    tell = telling.letters_to_tell(settings)
    pending = [e for g in groups for e in g.entries]
    flagged = sum(1 for e in (*pending, *letters) if is_spam(e.submission.flags))
    parts = [f"<h1>{esc(words['title'])}</h1>"]
    parts.append(
        f"<p class='inbox__counts'>{esc(counts(settings, len(pending) + len(letters), flagged))}</p>"
    )
    issues = [*shown_problems, *problems.sorted()]
    if issues:
        items = "".join(f"<li>{esc(str(p))}</li>" for p in issues)
        parts.append(f"<div class='inbox-problems' role='alert'><ul>{items}</ul></div>")
    if flagged:
        parts.append(
            _form("reject-flagged", token, "", f"<button>{esc(words['reject_flagged'])}</button>")
        )
    if not pending and not letters:
        parts.append(f"<p>{esc(words['empty'])}</p><p><code>{esc(words['import'])}</code></p>")
    if tell:
        parts.append(f"<section class='inbox-tell'><h2>{esc(words['tell'])}</h2><ul>")
        parts.extend(_to_tell(settings, item, token) for item in tell)
        parts.append("</ul></section>")
    if letters:
        parts.append(f"<section class='inbox-letters'><h2>{esc(words['letters'])}</h2>")
        parts.extend(_letter(settings, entry, token) for entry in letters)
        parts.append("</section>")
    advices = {a.slug: a for a in site.advices} if site else {}
    for group in groups:
        advice = advices.get(group.slug)
        heading = esc(group.title or group.slug or words["no_advice"])
        if advice:
            url = urls.under(urls.base_path(settings.base_url), advice.url)
            heading = f"<a href='{esc(url)}'>{heading}</a>"
        parts.append(f"<section class='inbox-advice'><h2>{heading}</h2>")
        parts.extend(_item(settings, e, advice, advices, env, token) for e in group.entries)
        parts.append("</section>")
    if rejected:
        parts.append(f"<details class='inbox-rejected'><summary>{esc(words['rejected'])} ")
        parts.append(f"({len(rejected)})</summary><ul>")
        for entry in rejected:
            sub = entry.submission
            button = f"<button>{esc(words['restore'])}</button>"
            text = f"{sub.author} ({sub.slug}): {first_line(sub.body)}"
            parts.append(
                f"<li id='s-{esc(entry.id)}'>{esc(text)} {_form('restore', token, entry.id, button)}</li>"
            )
        parts.append("</ul></details>")
    return _document(settings, env, words["title"], "".join(parts)).encode("utf-8")


def _item(
    settings: Settings,
    entry: Entry,
    advice: Advice | None,
    advices: Mapping[str, Advice],
    env: jinja2.Environment | None,
    token: str,
) -> str:
    words = ui(settings)
    esc = html.escape
    sub = entry.submission
    flagged = " inbox-item--flagged" if is_spam(sub.flags) else ""
    meta = [entry.id, sub.email, sub.date.strftime("%Y-%m-%d %H:%M"), sub.source]
    reasons = flag_reasons(settings)
    flags = ", ".join(f"{f}: {reasons.get(f, f)}" for f in sub.flags if f in SPAM_FLAGS)
    out = [
        f"<article class='inbox-item{flagged}' id='s-{esc(entry.id)}' data-id='{esc(entry.id)}'>"
    ]
    out.append(f"<p class='inbox-item__meta'>{esc(' · '.join(m for m in meta if m))}")
    if flags:
        out.append(f" <span class='inbox-item__flags'>{esc(words['spam'])} {esc(flags)}</span>")
    if "name" in sub.flags:
        out.append(f" <span class='inbox-item__flags'>{esc(reasons['name'])}</span>")
    out.append("</p>")
    parent = _find(advice, sub.reply_to)
    if parent is not None:
        context = f"{words['reply_to']} {parent.author}: «{first_line(parent.text, 90)}»"
        out.append(f"<p class='inbox-item__context'>↳ {esc(context)}</p>")
    out.append(f"<section class='inbox-item__preview' aria-label='{esc(words['preview'])}'>")
    out.append(
        f"<ol class='thread' role='list'>{_comment(settings, entry, advice, parent, env)}</ol>"
    )
    out.append("</section>")
    problems = review.problems_of(settings, entry, review.Choice())
    if problems:
        items = "".join(f"<li>{esc(p.message)}</li>" for p in problems)
        out.append(
            f"<div class='inbox-item__problems'><strong>{esc(words['problems'])}</strong>"
            f"<ul>{items}</ul></div>"
        )
    fields = [
        f"<label>{esc(words['name'])} <input name='author' value='{esc(sub.author)}' "
        "maxlength='100'></label>"
    ]
    if advice is None:
        options = "".join(
            f"<option value='{esc(a.slug)}'>{esc(a.title)}</option>" for a in advices.values()
        )
        fields.append(
            f"<label>{esc(words['advice'])} <select name='advice'>"
            f"<option value=''>{esc(words['none'])}</option>{options}</select></label>"
        )
    else:
        fields.append(_reply_select(words, advice, sub.reply_to))
    chosen = review.role_of(entry, review.Choice())
    roles = "".join(
        f"<option value='{role}'{' selected' if role == chosen else ''}>{esc(words[role])}</option>"
        for role in ROLES
    )
    fields.append(f"<label>{esc(words['role'])} <select name='role'>{roles}</select></label>")
    fields.append(f"<button class='inbox-accept'>{esc(words['accept'])}</button>")
    out.append("<div class='inbox-item__actions'>")
    out.append(_form("accept", token, entry.id, "".join(fields)))
    out.append(
        _form(
            "reject",
            token,
            entry.id,
            f"<button class='inbox-reject'>{esc(words['reject'])}</button>",
        )
    )
    out.append("</div></article>")
    return "".join(out)


def _letter(settings: Settings, entry: Entry, token: str) -> str:
    """A letter as the reader wrote it (the readers' path into HTML), and the answer button
    with the proposed title and signature to edit."""
    words = ui(settings)
    esc = html.escape
    sub = entry.submission
    rubric = next((r.title for r in settings.rubrics if r.key == sub.rubric), sub.rubric)
    meta = [entry.id, sub.author, sub.email, sub.date.strftime("%Y-%m-%d %H:%M"), sub.source]
    meta += [f"{words['rubric']}: {rubric}"] if rubric else []
    flagged = " inbox-item--flagged" if is_spam(sub.flags) else ""
    out = [f"<article class='inbox-item inbox-letter{flagged}' id='s-{esc(entry.id)}'>"]
    out.append(f"<p class='inbox-item__meta'>{esc(' · '.join(m for m in meta if m))}")
    reasons = flag_reasons(settings)
    flags = ", ".join(f"{f}: {reasons.get(f, f)}" for f in sub.flags if f in SPAM_FLAGS)
    if flags:
        out.append(f" <span class='inbox-item__flags'>{esc(words['spam'])} {esc(flags)}</span>")
    if "consent" in sub.flags:
        out.append(f" <span class='inbox-item__flags'>{esc(words['no_consent'])}</span>")
    out.append("</p>")
    text = render_reader(
        review.publishable_body(settings, entry), settings.language, settings.typography
    )
    out.append(f"<div class='prose inbox-letter__text'>{text.html}</div>")
    title, signature = answer.proposals(settings, entry)
    fields = [
        f"<label>{esc(words['letter_title'])} <input name='title' value='{esc(title)}' "
        "maxlength='100' size='50'></label>",
        f"<label>{esc(words['signature'])} <input name='signature' value='{esc(signature)}' "
        "maxlength='100'></label>",
    ]
    if "consent" in sub.flags:
        fields.append(
            f"<label class='inbox-force'><input type='checkbox' name='force' value='yes'> "
            f"{esc(words['force'])}</label>"
        )
    fields.append(f"<button class='inbox-answer'>{esc(words['answer'])}</button>")
    out.append("<div class='inbox-item__actions'>")
    out.append(_form("answer", token, entry.id, "".join(fields)))
    button = f"<button class='inbox-reject'>{esc(words['reject'])}</button>"
    out.append(_form("reject", token, entry.id, button))
    out.append("</div></article>")
    return "".join(out)


def _to_tell(settings: Settings, item: telling.ToTell, token: str) -> str:
    """An asker to tell: their advice, the ready message, and the button that says done."""
    words = ui(settings)
    esc = html.escape
    sub = item.entry.submission
    page = urls.under(urls.base_path(settings.base_url), item.advice.path)
    button = f"<button>{esc(words['told'])}</button>"
    return (
        f"<li id='s-{esc(item.entry.id)}'>{esc(sub.author)} · "
        f"<a href='{esc(page)}'>{esc(item.advice.title)}</a> · "
        f"<a class='inbox-tell__write' href='{esc(item.mailto)}'>{esc(words['write'])}</a> "
        f"{_form('told', token, item.entry.id, button)}</li>"
    )


def _reply_select(words: dict[str, str], advice: Advice, current: str) -> str:
    esc = html.escape
    options = [(c.id, f"{c.author}: {first_line(c.text, 50)}") for c in advice.comments()]
    if current and current not in {c for c, _ in options}:
        options.append((current, current))
    rendered = "".join(
        f"<option value='{esc(cid)}'{' selected' if cid == current else ''}>{esc(label)}</option>"
        for cid, label in options
    )
    top = f"<option value=''{'' if current else ' selected'}>{esc(words['top'])}</option>"
    return (
        f"<label>{esc(words['reply_to'])} <select name='reply_to'>{top}{rendered}</select></label>"
    )


def _find(advice: Advice | None, comment_id: str) -> Comment | None:
    if advice is None or not comment_id:
        return None
    return next((c for c in advice.comments() if c.id == comment_id), None)


def _comment(
    settings: Settings,
    entry: Entry,
    advice: Advice | None,
    parent: Comment | None,
    env: jinja2.Environment | None,
) -> str:
    """The submission through the same renderer and template as a published comment."""
    sub = entry.submission
    body = render_reader(
        review.publishable_body(settings, entry), settings.language, settings.typography
    )
    author = typeset_text(sub.author, settings.language) if settings.typography else sub.author
    folder = settings.content_dir / "advice" / sub.slug / "comments"
    comment = Comment(
        id=next_comment_id(folder, sub.author) if advice else entry.id,
        author=author,
        when=When(sub.date, has_time=True),
        body=body,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        is_asker=False,  # published as a reader's unless the editors choose a role
        is_columnist=False,
        children=(),
        source=entry.shown,
    )
    if env is not None and advice is not None:
        try:
            template = env.get_template("partials/comment.html")
            return template.render(comment=comment, advice=advice)
        except jinja2.TemplateError:
            pass
    name = html.escape(comment.author)
    return (
        f"<li class='comment'><article class='comment__body'><header class='comment__header'>"
        f"<span class='comment__author'>{name}</span></header>"
        f"<div class='comment__text'>{comment.html}</div></article></li>"
    )


def _form(action: str, token: str, entry_id: str, inner: str) -> str:
    return (
        f"<form method='post' action='{PATH}{action}' class='inbox-form inbox-form--{action}'>"
        f"<input type='hidden' name='token' value='{html.escape(token)}'>"
        f"<input type='hidden' name='id' value='{html.escape(entry_id)}'>{inner}</form>"
    )


def _document(settings: Settings, env: jinja2.Environment | None, title: str, main: str) -> str:
    style = ""
    asset = env.globals.get("asset") if env is not None else None
    if callable(asset):
        try:
            style = (
                f"<link rel='stylesheet' href='{html.escape(str(asset('style.css')))}'>"
                f"<link rel='icon' href='{html.escape(str(asset('favicon.svg')))}'>"
            )
        except jinja2.TemplateError:
            style = ""
    return (
        f"<!doctype html><html lang='{html.escape(settings.language)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<meta name='robots' content='noindex'>"
        f"<title>{html.escape(title)} — {html.escape(settings.title)}</title>{style}"
        f"<style>{_STYLE}</style></head><body class='page-inbox'>"
        f"<main id='main' class='site-main inbox'>{main}</main></body></html>"
    )
