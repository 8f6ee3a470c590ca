"""Sending e-mail over SMTP with aiosmtplib: one connection for a batch of mails."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from email.message import EmailMessage
from email.utils import make_msgid

import aiosmtplib


def build_email(*, sender: str, recipient: str, subject: str, text: str, html: str,
                delivery_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    # the delivery id as Message-ID lets a receiving system drop a resend of the same mail
    message["Message-ID"] = make_msgid(idstring=delivery_id, domain="sms.example.ca")
    message["X-SMS-Delivery"] = delivery_id
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


class SmtpSession:
    """One SMTP connection, opened at the first mail and reopened after a failed one."""

    def __init__(self, host: str, port: int, timeout_s: float):
        self._host, self._port, self._timeout_s = host, port, timeout_s
        self._client: aiosmtplib.SMTP | None = None

    async def send(self, message: EmailMessage) -> None:
        if self._client is None:
            client = aiosmtplib.SMTP(hostname=self._host, port=self._port,
                                     timeout=self._timeout_s, start_tls=False, use_tls=False)
            await client.connect()
            self._client = client
        try:
            await self._client.send_message(message)
        except BaseException:
            self._drop()  # the next mail starts on a new connection
            raise

    async def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await self._client.quit()
            self._drop()

    def _drop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


class SmtpSender:
    def __init__(self, host: str, port: int, timeout_s: float):
        self._host = host
        self._port = port
        self._timeout_s = timeout_s

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[SmtpSession]:
        """A connection for several mails (closed at the end, with QUIT when it still can)."""
        session = SmtpSession(self._host, self._port, self._timeout_s)
        try:
            yield session
        finally:
            await session.close()

    async def send(self, message: EmailMessage) -> None:
        async with self.session() as session:
            await session.send(message)
