"""Email (.eml, mbox, Maildir) -> submissions.

A message naming no advice is a letter to the column when it is sent to `[letters] address`
or carries the letters' subject tag (see letters/signs.py). A comment's advice comes from the
subject (the site's mailto links write `Title [slug #comment]`), an address tag
(`editors+slug@…`, `editors+slug.comment@…`) or a subject equal to an advice's title. The
body is the text part (or the HTML part made text) with quoted replies and signatures cut;
every charset and transfer encoding a mail client sends is decoded.
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

from ..letters.signs import NO_MAIL, Signs
from ..safe_files import read_regular
from .htmltext import html_to_text
from .submission import COMMENT, LETTER, Incoming, Submission
from .text import EMAIL_RE, clean_body, clean_name, decode_bytes, words

_PARSER = email.parser.BytesParser(policy=email.policy.default)
MAX_MAILBOX = 1 << 30  # bytes of a mailbox, an export or one message read for an import
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
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b")
_LONGEST_ATTRIBUTION = 400  # longer lines are a reader's paragraph, and not searched
_HEADER_BLOCK = re.compile(r"^\s*(?:from|от|de|von)\s*:\s*\S", re.I)
_HEADER_NEXT = re.compile(r"^\s*(?:sent|date|to|subject|отправлено|дата|кому|тема)\s*:", re.I)
_MOBILE = re.compile(
    r"^\s*(?:sent from|sent via|get outlook for|отправлено с|отправлено из|отправлено через)\b",
    re.I,
)


def messages_in(path: Path, data: bytes | None) -> Iterator[tuple[str, bytes]]:
    """(where, bytes) of every message: an .eml file, an mbox or a Maildir folder."""
    if path.is_dir():  # a Maildir: a file per message in new/ and cur/
        files = [
            f for sub in ("new", "cur") if (path / sub).is_dir() for f in (path / sub).iterdir()
        ]
        files = sorted((f for f in files if not f.name.startswith(".")), key=_maildir_key)
        for number, file in enumerate(files, start=1):
            yield f"message {number}", read_regular(file, MAX_MAILBOX)
    elif data is not None and data.startswith(b"From "):
        mbox = mailbox.mbox(path, factory=None, create=False)
        for number, key in enumerate(mbox.keys(), start=1):
            yield f"message {number}", _FROM_ESCAPE.sub(rb"\1", mbox.get_bytes(key))
    elif data is not None:
        yield "", data


def _maildir_key(file: Path) -> str:
    """A Maildir message's unique name, without the flags a client appends after ':'."""
    return file.name.split(":", 1)[0]


def incoming(
    data: bytes,
    advices: Mapping[str, str],
    zone: ZoneInfo,
    now: dt.datetime,
    source: str,
    signs: Signs = NO_MAIL,
) -> Incoming | str:
    """One message as a submission (a comment, or a letter to the column), or why it cannot
    be one."""
    message = _PARSER.parsebytes(bounded_headers(data))
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
    consent = None
    is_letter = slug not in advices and signs.is_letter_mail(subject, addresses)
    if is_letter:
        slug, reply_to = "", ""
        body, consent = signs.without_consent_line(body)
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
        kind=LETTER if is_letter else COMMENT,
    )
    return Incoming(submission, consent=consent)


# The longest header the parser is given. Python's header parsers take time growing with the
# square of a header's parts (80 000 encoded words in a Subject: 9 s, thousands of
# Content-Type parameters: seconds); a real header is a line or two, and what sovet keeps
# of one (a name, an address, a subject) is a hundred characters.
MAX_HEADER = 4096
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def bounded_headers(data: bytes) -> bytes:
    """The message with each header cut to MAX_HEADER bytes; the body as it was."""
    end = _HEADER_END.search(data)
    split = end.start() if end else len(data)
    if split <= MAX_HEADER:
        return data
    kept: list[bytes] = []
    size = 0  # of the header being read, its continuation lines included
    for line in data[:split].split(b"\n"):
        if not (kept and line[:1] in (b" ", b"\t")):
            size = 0  # a new header
        if size >= MAX_HEADER:
            continue
        line = line[: MAX_HEADER - size]
        size += len(line)
        kept.append(line)
    return b"\n".join(kept) + data[split:]


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
    if part.get_content_subtype() == "html":
        return html_to_text(text)
    if str(part.get_param("format", "")).lower() == "flowed":
        return unflow(text, str(part.get_param("delsp", "")).lower() == "yes")
    return text


def unflow(text: str, delsp: bool = False) -> str:
    """Text sent as format=flowed (RFC 3676, Thunderbird's default) as the lines the reader
    wrote: soft breaks (a line ending in a space) joined, quote marks normalised to `> `, and
    a line the client space-stuffed because it begins with '>' kept as the reader's, not a
    quote (escaped for Markdown)."""
    lines: list[tuple[int, str]] = []
    open_paragraph = False
    for raw in text.replace("\r\n", "\n").split("\n"):
        content = raw.lstrip(">")
        depth = len(raw) - len(content)
        content = content.removeprefix(" ")  # the stuffed space
        flowed = content.endswith(" ") and content != "-- "
        if open_paragraph and lines and lines[-1][0] == depth:
            lines[-1] = (depth, lines[-1][1] + content)
        else:
            lines.append((depth, content))
        if flowed and delsp:
            lines[-1] = (depth, lines[-1][1][:-1])
        open_paragraph = flowed
    return "\n".join(
        "> " * depth + line if depth else ("\\" + line if line.startswith(">") else line)
        for depth, line in lines
    )


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
    title = subject_title(subject)
    for slug, advice_title in advices.items():
        if title and words(advice_title) == title:
            return slug, ""
    return found[0] if found else ("", "")


def subject_title(subject: str) -> str:
    """A subject as the title it may repeat: without "Re:" and the like, or a [slug] tag."""
    return words(_TAG.sub("", _REPLY_PREFIX.sub("", subject)))


def cut_reply(text: str) -> str:
    """The reader's own words: every line they wrote, above the quoted message, under it or
    between its parts, without the lines they quoted, the attributions that open them, a
    forwarded or Outlook-style earlier message, or the signature."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    following = _next_text_index(lines)
    kept: list[str | None] = []  # None: a line taken out here
    index = 0
    while index < len(lines):
        line = lines[index]
        if _QUOTED.match(line):
            kept.append(None)
            index += 1
            continue
        attribution = _attribution_lines(lines, index, following)
        if attribution and _QUOTED.match(_text_at(lines, following, index + attribution)):
            kept.extend([None] * attribution)  # "On … wrote:" above the quote it opens
            index += attribution
            continue
        if attribution or _ends_message(lines, index):
            break  # an earlier message without '>' marks, or the signature: the rest is not theirs
        kept.append(line)
        index += 1
    return "\n".join(_closed_gaps(kept)).strip("\n")


_QUOTED = re.compile(r"^\s*>")


def _closed_gaps(lines: list[str | None]) -> list[str]:
    """Lines with each gap left by a removed part closed to one blank line (none at the
    ends), and the mobile client's "Sent from my iPhone" dropped from the end."""
    result: list[str] = []
    blank_run: list[str] = []
    removed = False
    for line in lines:
        if line is None:
            removed = True
        elif not line.strip():
            blank_run.append(line)
        else:
            if result and (blank_run or removed):
                result.extend([""] if removed else blank_run)
            result.append(line)
            blank_run, removed = [], False
    while result and _MOBILE.match(result[-1]):
        result.pop()
        while result and not result[-1].strip():
            result.pop()
    return result


def _next_text_index(lines: list[str]) -> list[int]:
    """For each line, the index of the first line from it on that is not blank (len(lines)
    when none is): made once, so looking ahead costs nothing however long the message."""
    found = [len(lines)] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        found[index] = index if lines[index].strip() else found[index + 1]
    return found


def _text_at(lines: list[str], following: list[int], start: int) -> str:
    index = following[min(start, len(lines))]
    return lines[index] if index < len(lines) else ""


def _ends_message(lines: list[str], index: int) -> bool:
    """A signature line, a separator, or a block of forwarded headers starts at this line."""
    line = lines[index]
    if line.rstrip() == "--" or _SEPARATOR.match(line):
        return True
    if _HEADER_BLOCK.match(line):
        return any(_HEADER_NEXT.match(ln) for ln in lines[index + 1 : index + 5])
    return False


def _attribution_lines(lines: list[str], index: int, following: list[int]) -> int:
    """How many lines the attribution starting here takes ("On … wrote:", "… <a@b>
    написал(а):", also wrapped over two lines): 0 when none starts here."""
    line = lines[index]
    if _attribution(line, _text_at(lines, following, index + 1)):
        return 1
    if index + 1 < len(lines):
        after = _text_at(lines, following, index + 2)
        if not _attribution(f"{line} {lines[index + 1]}", after):
            return 0
        # "On …, 10:00 Olga <" + "olga@example.org> wrote:": the date is on the first line
        alone = _attribution(lines[index + 1], after)
        if not alone or (_CLOCK.search(line) and not _CLOCK.search(lines[index + 1])):
            return 2
    return 0


def _attribution(said: str, rest: str) -> bool:
    """A line naming who wrote the quote and when: it cites an address, or a time or date
    and says "wrote"; a reader's own "Клиент мне написал:" does neither."""
    if len(said) > _LONGEST_ATTRIBUTION:
        return False
    quoted = _QUOTED.match(rest) is not None
    cites = _CITES_ADDRESS.search(said) is not None
    dated = _CLOCK.search(said) is not None or _NUMERIC_DATE.search(said) is not None
    if _ATTRIBUTION.match(said) and (cites or dated):
        return True
    return cites and (quoted or dated)


def _date(value: str, zone: ZoneInfo) -> dt.datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)
