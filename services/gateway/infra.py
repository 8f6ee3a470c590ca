"""Builds the infrastructure a service process is handed from its settings."""

from __future__ import annotations

from shared.config import ServiceSettings
from shared.messaging.factory import open_bus
from shared.messaging.ports import Bus
from shared.runtime import Infrastructure
from shared.storage.factory import open_store


def bus_for(settings: ServiceSettings) -> Bus:
    if settings.bus_url.startswith("kafka://"):
        return open_bus(settings.bus_url, enable_idempotence=settings.kafka_idempotence,
                        session_timeout_ms=settings.kafka_session_timeout_ms,
                        heartbeat_interval_ms=settings.kafka_heartbeat_interval_ms,
                        replication_factor=settings.kafka_replication_factor)
    return open_bus(settings.bus_url)


def infrastructure(settings: ServiceSettings) -> Infrastructure:
    return Infrastructure(bus=bus_for(settings), store=open_store(settings.storage_url))
