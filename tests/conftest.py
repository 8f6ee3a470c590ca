"""Session-wide real servers on loopback: one of each per test session, stopped at the end.

A server that cannot start fails the tests that need it with a RuntimeError saying what is
missing and how to install it; nothing is skipped quietly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from shared.testing.moto_s3 import MotoServer
from shared.testing.postgres import PostgresServer
from shared.testing.smtp import SmtpSink

if TYPE_CHECKING:
    from shared.testing.tansu import TansuServer


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL cluster; `pg_server.create_database(name)` gives each suite its
    own database, `pg_server.url(name)` its SQLAlchemy URL."""
    with PostgresServer() as server:
        yield server


@pytest.fixture(scope="session")
def s3_server() -> Iterator[MotoServer]:
    """moto's S3 on loopback; `s3_server.create_bucket(name)`, `s3_server.endpoint`."""
    with MotoServer() as server:
        yield server


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    """An SMTP server that keeps what it receives. Shared by the session: call `.clear()`
    before a test that counts messages."""
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="session")
def kafka_server() -> Iterator[TansuServer]:
    """A tansu broker (Kafka protocol) with in-memory storage."""
    try:
        from shared.testing.tansu import TansuServer
    except ImportError as exc:
        raise RuntimeError(
            "shared.testing.tansu.TansuServer cannot be imported; it ships with the repository "
            "and needs the dev dependencies (`pip install -e '.[dev]'`)"
        ) from exc
    with TansuServer() as server:
        yield server
