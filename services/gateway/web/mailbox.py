"""The development mailbox: the mail the embedded system sent, read from ``var/mail``."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path


@dataclass(frozen=True)
class Mail:
    key: str
    to: str
    subject: str
    date: str
    body: str = ""


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    return str(make_header(decode_header(value))) if value else ""


def _date(message: Message) -> str:
    try:
        return parsedate_to_datetime(message.get("date", "")).isoformat()
    except (TypeError, ValueError):
        return ""


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8", "replace")
    return ""


def _open(folder: Path) -> mailbox.Maildir | None:
    if not (folder / "cur").is_dir() and not (folder / "new").is_dir():
        return None
    return mailbox.Maildir(folder, create=False)


def list_mail(folder: Path, limit: int, offset: int) -> tuple[list[Mail], int]:
    """Newest first."""
    box = _open(folder)
    if box is None:
        return [], 0
    mails = [Mail(key, _header(m, "to"), _header(m, "subject"), _date(m))
             for key, m in box.items()]
    mails.sort(key=lambda m: (m.date, m.key), reverse=True)
    return mails[offset:offset + limit], len(mails)


def read_mail(folder: Path, key: str) -> Mail | None:
    box = _open(folder)
    if box is None or "/" in key or key not in box:
        return None
    message = box[key]
    return Mail(key, _header(message, "to"), _header(message, "subject"), _date(message),
                _text(message))
