"""Email (.eml, mbox, Maildir) -> submissions.

The advice comes from the subject (the site's mailto links write `Title [slug #comment]`), an
address tag (`editors+slug@…`, `editors+slug.comment@…`) or a subject equal to an advice's
title. The body is the text part (or the HTML part made text) with quoted replies and
signatures cut; every charset and transfer encoding a mail client sends is decoded.
"""

from __future__ import annotations

import datetime as dt
import email.errors
import email.header
import email.parser
import email.policy
import email.utils
import mailbox
import re
from collections.abc import Iterator, Mapping
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from .htmltext import html_to_text
from .submission import Incoming, Submission
from .text import EMAIL_RE, clean_body, clean_name, decode_bytes, words

_PARSER = email.parser.BytesParser(policy=email.policy.default)
_TAG = re.compile(r"\[\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*(?:#\s*([a-z0-9]+(?:-[a-z0-9]+)*))?\s*\]")
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|ответ|отв|пересл)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
_FROM_ESCAPE = re.compile(rb"(?m)^>(>*From )")  # how an mbox keeps a body's "From " lines
_ADDRESS_HEADERS = ("to", "cc", "delivered-to", "x-original-to", "envelope-to")

# Lines that open a quoted earlier message: everything from them on is cut.
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:original message|forwarded message|исходное сообщение|"
    r"пересылаемое сообщение|переадресованное сообщение)\s*-{2,}\s*$|^\s*_{10,}\s*$",
    re.I,
)
_CITES_ADDRESS = re.compile(r"[<\[(]?[\w.+-]+@[\w-]+(?:\.[\w-]+)+[>\])]?\s*(?:\S+\s*)?:\s*$")
_ATTRIBUTION = re.compile(
    r"^\s*(?:on\s.*\swrote|.*\s(?:wrote|написал|написала|написал\(а\)|пишет))\s*:\s*$", re.I
)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_HEADER_BLOCK = re.compile(r"^\s*(?:from|от|de|von)\s*:\s*\S", re.I)
_HEADER_NEXT = re.compile(r"^\s*(?:sent|date|to|subject|отправлено|дата|кому|тема)\s*:", re.I)
_MOBILE = re.compile(
    r"^\s*(?:sent from|sent via|get outlook for|отправлено с|отправлено из|отправлено через)\b",
    re.I,
)


def messages_in(path: Path, data: bytes | None) -> Iterator[tuple[str, bytes]]:
    """(where, bytes) of every message: an .eml file, an mbox or a Maildir folder."""
    if path.is_dir():
        box = mailbox.Maildir(path, factory=None, create=False)
        for number, key in enumerate(sorted(box.keys()), start=1):
            yield f"message {number}", box.get_bytes(key)
    elif data is not None and data.startswith(b"From "):
        mbox = mailbox.mbox(path, factory=None, create=False)
        for number, key in enumerate(mbox.keys(), start=1):
            yield f"message {number}", _FROM_ESCAPE.sub(rb"\1", mbox.get_bytes(key))
    elif data is not None:
        yield "", data


def incoming(
    data: bytes, advices: Mapping[str, str], zone: ZoneInfo, now: dt.datetime, source: str
) -> Incoming | str:
    """One message as a submission, or why it cannot be one."""
    message = _PARSER.parsebytes(data)
    subject = header_text(message, "subject")
    name, address = email.utils.parseaddr(header_text(message, "from"))
    author = clean_name(name)
    if EMAIL_RE.search(author) or author.strip("'\"") == address:
        author = ""  # a client that puts the address as the name: it must not be published
    addresses = [
        addr
        for header in _ADDRESS_HEADERS
        for _, addr in email.utils.getaddresses([header_text(message, header)])
    ]
    slug, reply_to = advice_of(subject, addresses, advices)
    body = clean_body(cut_reply(body_text(message)))
    if not body:
        return "no text in the message (after cutting quotes and the signature)"
    when = _date(header_text(message, "date"), zone) or now.astimezone(zone)
    submission = Submission(
        slug=slug,
        reply_to=reply_to,
        author=author,
        email=clean_name(address),
        date=when,
        body=body,
        source=source,
        subject=clean_name(subject),
    )
    return Incoming(submission)


def header_text(message: EmailMessage, name: str) -> str:
    """A header as text: encoded words in any charset decoded, raw 8-bit headers guessed."""
    raw = next((str(v) for k, v in message.raw_items() if k.lower() == name), "")
    if not raw:
        return ""
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        text = decode_bytes(raw.encode("ascii", "surrogateescape"))
    else:
        try:
            text = str(email.header.make_header(email.header.decode_header(raw)))
        except (LookupError, ValueError, email.errors.HeaderParseError):
            text = raw
    return re.sub(r"\r?\n[ \t]+", " ", text).strip()


def body_text(message: EmailMessage) -> str:
    """The plain text part, else the HTML part as text, else the first text part."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        part = next((p for p in message.walk() if p.get_content_maintype() == "text"), None)
    if part is None:
        return ""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text = decode_bytes(payload, part.get_content_charset())
    return html_to_text(text) if part.get_content_subtype() == "html" else text


def advice_of(subject: str, addresses: list[str], advices: Mapping[str, str]) -> tuple[str, str]:
    """(slug, reply target) named by the subject's tag, an address tag, or the title."""
    found = [(m[1], m[2] or "") for m in _TAG.finditer(subject.lower())]
    for address in addresses:
        local = address.partition("@")[0].lower()
        if "+" in local:
            slug, _, reply = local.partition("+")[2].partition(".")
            found.append((slug, reply))
    for slug, reply in found:
        if slug in advices:
            return slug, reply
    title = words(_TAG.sub("", _REPLY_PREFIX.sub("", subject)))
    for slug, advice_title in advices.items():
        if title and words(advice_title) == title:
            return slug, ""
    return found[0] if found else ("", "")


def cut_reply(text: str) -> str:
    """The reader's own words: the quoted earlier message and the signature cut."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    end = next((i for i in range(len(lines)) if _opens_quote(lines, i)), len(lines))
    kept = lines[:end]
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    while kept and _MOBILE.match(kept[-1]):
        kept.pop()
        while kept and not kept[-1].strip():
            kept.pop()
    return "\n".join(kept)


def _opens_quote(lines: list[str], index: int) -> bool:
    """A signature line, a separator, an attribution ("On … wrote:", "… <a@b> написал(а):",
    also wrapped over two lines) or a block of forwarded headers starts at this line."""
    line = lines[index]
    if line.rstrip() == "--" or _SEPARATOR.match(line):
        return True
    if _HEADER_BLOCK.match(line):
        return any(_HEADER_NEXT.match(ln) for ln in lines[index + 1 : index + 5])
    if _attribution(line, _next_text(lines, index + 1)):
        return True
    if index + 1 < len(lines):
        after = _next_text(lines, index + 2)
        wrapped = f"{line} {lines[index + 1]}"
        if not _attribution(wrapped, after):
            return False
        # "On …, 10:00 Olga <" + "olga@example.org> wrote:": the date is on the first line
        alone = _attribution(lines[index + 1], after)
        return not alone or (bool(_CLOCK.search(line)) and not _CLOCK.search(lines[index + 1]))
    return False


def _attribution(said: str, rest: str) -> bool:
    quoted = rest.lstrip().startswith(">")
    cites = _CITES_ADDRESS.search(said) is not None
    if _ATTRIBUTION.match(said) and (quoted or cites):
        return True
    return cites and (quoted or _CLOCK.search(said) is not None)


def _next_text(lines: list[str], start: int) -> str:
    return next((line for line in lines[start:] if line.strip()), "")


def _date(value: str, zone: ZoneInfo) -> dt.datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)
