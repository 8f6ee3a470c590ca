"""An SMTP sink on loopback (aiosmtpd) that keeps what it receives, for tests and the
embedded system."""

from __future__ import annotations

import asyncio
import email
import email.policy
import mailbox
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import structlog

from shared.testing.servers import LocalServer, check_bindable, free_port

log = structlog.get_logger()


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """One message as the SMTP sink received it."""

    mail_from: str  # envelope sender (MAIL FROM)
    rcpt_to: list[str]  # envelope recipients (RCPT TO)
    from_addr: str  # the From header
    to: list[str]  # addresses in the To header
    subject: str
    text: str | None  # the text/plain body, if any
    html: str | None  # the text/html body, if any
    raw: bytes
    message: EmailMessage = field(repr=False)
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list, repr=False)


def parse_message(
    raw: bytes, mail_from: str = "", rcpt_to: list[str] | None = None
) -> ReceivedMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)

    def body(kind: str) -> str | None:
        part = msg.get_body(preferencelist=(kind,))
        if part is None:
            return None
        return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]

    to = [addr.addr_spec for addr in getattr(msg["to"], "addresses", ())]
    attachments = [
        (
            part.get_filename() or "",
            part.get_content_type(),
            bytes(part.get_payload(decode=True) or b""),
        )
        for part in msg.iter_attachments()
    ]
    return ReceivedMessage(
        mail_from=mail_from,
        rcpt_to=list(rcpt_to or []),
        from_addr=str(msg["from"] or ""),
        to=to,
        subject=str(msg["subject"] or ""),
        text=body("plain"),
        html=body("html"),
        raw=raw,
        message=msg,
        attachments=attachments,
    )


class SmtpSink(LocalServer):
    """An aiosmtpd server that keeps every message it receives (and optionally a Maildir copy).

    `fail_next(n)` makes the next n deliveries answer `451` (a transient error) for retry tests.
    """

    def __init__(self, *, port: int = 0, maildir: Path | str | None = None) -> None:
        self._requested_port = port
        self.port = 0
        self.host = "127.0.0.1"
        self._maildir = mailbox.Maildir(maildir, create=True) if maildir is not None else None
        self._messages: list[ReceivedMessage] = []
        self._failures_left = 0
        self._cond = threading.Condition()
        self._controller: Any = None

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self._cond:
            return list(self._messages)

    def clear(self) -> None:
        with self._cond:
            self._messages.clear()
            self._failures_left = 0

    def fail_next(self, count: int = 1) -> None:
        with self._cond:
            self._failures_left = count

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMessage]:
        """Block until at least `count` messages arrived; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"SMTP sink got {len(self._messages)} of {count} messages in {timeout}s"
                    )
                self._cond.wait(left)
            return list(self._messages)

    async def wait_for_async(self, count: int, timeout: float = 10.0) -> list[ReceivedMessage]:
        """`wait_for` without blocking the event loop (the sender may run on it)."""
        return await asyncio.to_thread(self.wait_for, count, timeout)

    def start(self) -> None:
        if self._controller is not None:
            return
        from aiosmtpd.controller import Controller

        self.port = self._requested_port or free_port()
        controller = Controller(self, hostname=self.host, port=self.port, ready_timeout=10.0)
        try:
            check_bindable(self.host, self.port)  # else aiosmtpd waits its whole ready_timeout
            controller.start()
        except Exception as exc:
            raise RuntimeError(
                f"SMTP sink could not listen on {self.host}:{self.port}: {exc}"
            ) from exc
        self._controller = controller
        log.info("smtp_sink.started", port=self.port)

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
            log.info("smtp_sink.stopped", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._cond:
            if self._failures_left > 0:
                self._failures_left -= 1
                return "451 4.3.0 Temporary failure (SmtpSink.fail_next)"
        raw = bytes(envelope.original_content or envelope.content)
        message = parse_message(raw, str(envelope.mail_from), list(envelope.rcpt_tos))
        if self._maildir is not None:
            self._maildir.add(raw)
        with self._cond:
            self._messages.append(message)
            self._cond.notify_all()
        log.info("smtp_sink.received", subject=message.subject, to=message.rcpt_to)
        return "250 Message accepted for delivery"
