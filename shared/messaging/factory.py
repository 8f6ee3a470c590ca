"""Pick the bus implementation from the URL in settings."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from shared.messaging.durable import DurableBus
from shared.messaging.kafka import KafkaBus, KafkaOptions
from shared.messaging.memory import MemoryBus
from shared.messaging.ports import Bus

_KAFKA_OPTIONS = frozenset(field.name for field in fields(KafkaOptions))


def open_bus(url: str, **options: Any) -> Bus:
    """``memory://`` -> in-memory bus; ``file:///path/bus.db`` -> the in-memory bus with its log
    in a SQLite file (embedded mode); ``kafka://host:port[,host:port...]`` -> aiokafka bus.

    ``options`` are the Kafka client settings (see ``KafkaOptions``). The in-memory bus ignores
    them, so one settings object serves both; an unknown option is an error on either.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        raise ValueError(f"bus URL {url!r} has no scheme; use memory:// or kafka://host:port")
    unknown = set(options) - _KAFKA_OPTIONS
    if unknown:
        raise TypeError(f"unknown bus options: {', '.join(sorted(unknown))}")
    if scheme == "memory":
        return MemoryBus()
    if scheme == "file":
        if not rest.startswith("/"):
            raise ValueError(f"bus URL {url!r}: give an absolute path, file:///var/bus.db")
        return DurableBus(rest)
    if scheme == "kafka":
        servers = [server for server in rest.rstrip("/").split(",") if server]
        if not servers:
            raise ValueError(f"bus URL {url!r} names no broker; use kafka://host:port")
        return KafkaBus(servers, KafkaOptions(**options))
    raise ValueError(f"bus URL {url!r}: unknown scheme {scheme!r}; use memory:// or kafka://")
