"""Event models: the committed schemas match the code, and envelopes round-trip."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.events import schemas
from shared.events.envelope import Envelope
from shared.events.registry import REGISTRY, decode, topics
from shared.events.sitedata import UploadProcessedV1
from shared.ids import new_id


def test_committed_schemas_match_the_models() -> None:
    for path, text in schemas.generated().items():
        assert path.exists(), f"{path} is missing: run 'make schemas' and commit"
        assert path.read_text(encoding="utf-8") == text, f"{path} drifted: run 'make schemas'"
    committed = set((schemas.OUT / "schemas").glob("*.json"))
    assert committed == {p for p in schemas.generated() if p.parent.name == "schemas"}


def test_every_event_type_names_its_topic_by_service() -> None:
    for (kind, version), model in REGISTRY.items():
        assert version >= 1
        assert model.TOPIC.split(".")[0] == kind.split(".")[0]
    assert "sitedata.uploads" in topics()


def test_envelope_round_trip_gives_the_typed_payload() -> None:
    now = datetime(2026, 11, 5, tzinfo=UTC)
    payload = UploadProcessedV1(upload_id="u1", profile_id="p1", account_number="100000001",
                                status="Processed", mode="replace", filename="a.csv", records=3,
                                error_count=0, received_at=now, processed_at=now)
    envelope = Envelope(id=new_id(), type=payload.TYPE, source="sms.sitedata", subject="u1",
                        time=now, data=payload.model_dump(mode="json"))
    again = Envelope.from_bytes(envelope.to_bytes())
    assert again == envelope
    assert decode(again) == payload


def test_unknown_event_types_decode_to_none() -> None:
    envelope = Envelope(id=new_id(), type="elsewhere.thing.done", source="x", subject="s",
                        time=datetime(2026, 1, 1, tzinfo=UTC))
    assert decode(envelope) is None
