"""Sending one e-mail over SMTP with aiosmtplib."""

from __future__ import annotations

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


class SmtpSender:
    def __init__(self, host: str, port: int, timeout_s: float):
        self._host = host
        self._port = port
        self._timeout_s = timeout_s

    async def send(self, message: EmailMessage) -> None:
        await aiosmtplib.send(message, hostname=self._host, port=self._port,
                              timeout=self._timeout_s, start_tls=False, use_tls=False)
