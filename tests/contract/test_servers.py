"""Smoke tests of the real local servers (shared.testing) behind the conftest fixtures."""

from __future__ import annotations

import mailbox
import socket
import uuid
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.testing.moto_s3 import MotoServer
from shared.testing.postgres import PostgresServer
from shared.testing.smtp import SmtpSink

pytestmark = pytest.mark.realstack


def _select_one(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("select 1")).scalar_one())
    finally:
        engine.dispose()


def test_postgres_accepts_connections(pg_server: PostgresServer) -> None:
    assert pg_server.url().startswith("postgresql+psycopg://postgres@127.0.0.1:")
    assert _select_one(pg_server.url()) == 1


def test_postgres_create_database_is_idempotent(pg_server: PostgresServer) -> None:
    url = pg_server.create_database("smoke_db")
    assert pg_server.create_database("smoke_db") == url == pg_server.url("smoke_db")
    assert _select_one(url) == 1


async def test_postgres_async_and_restart_keeps_port(pg_server: PostgresServer) -> None:
    port = pg_server.port
    pg_server.restart()
    assert pg_server.port == port
    engine = create_async_engine(pg_server.url())
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("select 1"))).scalar_one() == 1
    finally:
        await engine.dispose()


def _mail(subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "licensing@sms.test"
    message["To"] = "holder@example.test, copy@example.test"
    message["Subject"] = subject
    message.set_content("Your licence is ready.")
    message.add_alternative("<p>Your licence is <b>ready</b>.</p>", subtype="html")
    message.add_attachment(
        b"%PDF-1.4", maintype="application", subtype="pdf", filename="licence.pdf"
    )
    return message


async def test_smtp_sink_receives_and_parses(smtp_sink: SmtpSink) -> None:
    smtp_sink.clear()
    await aiosmtplib.send(_mail("Licence issued"), hostname=smtp_sink.host, port=smtp_sink.port)
    [received] = await smtp_sink.wait_for_async(1, timeout=5)
    assert received.subject == "Licence issued"
    assert received.from_addr == "licensing@sms.test"
    assert received.to == ["holder@example.test", "copy@example.test"]
    assert received.rcpt_to == ["holder@example.test", "copy@example.test"]
    assert received.text == "Your licence is ready.\n"
    assert received.html is not None and "<b>ready</b>" in received.html
    assert received.attachments == [("licence.pdf", "application/pdf", b"%PDF-1.4")]
    assert b"Subject: Licence issued" in received.raw


async def test_smtp_sink_fail_next_answers_a_transient_error(smtp_sink: SmtpSink) -> None:
    smtp_sink.clear()
    smtp_sink.fail_next(1)
    with pytest.raises(aiosmtplib.SMTPResponseException) as failure:
        await aiosmtplib.send(_mail("first try"), hostname=smtp_sink.host, port=smtp_sink.port)
    assert 400 <= failure.value.code < 500
    assert smtp_sink.messages == []
    await aiosmtplib.send(_mail("second try"), hostname=smtp_sink.host, port=smtp_sink.port)
    assert [m.subject for m in await smtp_sink.wait_for_async(1)] == ["second try"]


async def test_smtp_sink_writes_a_maildir(tmp_path: Path) -> None:
    with SmtpSink(maildir=tmp_path / "mail") as sink:
        await aiosmtplib.send(_mail("to the maildir"), hostname=sink.host, port=sink.port)
        sink.wait_for(1, timeout=5)
    stored = list(mailbox.Maildir(tmp_path / "mail", create=False))
    assert [m["Subject"] for m in stored] == ["to the maildir"]


def test_smtp_sink_wait_for_times_out_clearly(smtp_sink: SmtpSink) -> None:
    smtp_sink.clear()
    with pytest.raises(TimeoutError, match="got 0 of 1"):
        smtp_sink.wait_for(1, timeout=0.05)


def test_a_server_that_cannot_listen_raises_runtime_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        sink = SmtpSink(port=taken.getsockname()[1])
        with pytest.raises(RuntimeError, match="could not listen"):
            sink.start()


def test_moto_bucket_put_and_get(s3_server: MotoServer) -> None:
    bucket = s3_server.create_bucket(f"smoke-{uuid.uuid4().hex[:12]}")
    assert s3_server.create_bucket(bucket) == bucket  # idempotent
    client = s3_server.client()
    client.put_object(Bucket=bucket, Key="a/b.txt", Body=b"hello")
    assert client.get_object(Bucket=bucket, Key="a/b.txt")["Body"].read() == b"hello"


def test_missing_postgres_binaries_raise_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Path, "is_file", lambda self: False)
    with pytest.raises(RuntimeError, match="apt-get install -y postgresql-15"):
        PostgresServer().start()
