"""Events the sitedata service produces (topic ``sitedata.uploads``)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from shared.events.envelope import Payload

UPLOADS = "sitedata.uploads"
CONTACTS = "sitedata.contacts"


class UploadReceivedV1(Payload):
    """A file was taken and stored; validation is about to start."""

    TYPE: ClassVar[str] = "sitedata.upload.received"
    TOPIC: ClassVar[str] = UPLOADS

    upload_id: str
    profile_id: str
    account_number: str
    object_key: str
    filename: str
    mode: str
    size: int
    received_at: datetime


class UploadProcessedV1(Payload):
    """An upload ended: ``status`` is ``Processed`` or ``Errors Found``. One event per upload."""

    TYPE: ClassVar[str] = "sitedata.upload.processed"
    TOPIC: ClassVar[str] = UPLOADS

    upload_id: str
    profile_id: str
    account_number: str
    status: str
    mode: str
    filename: str
    records: int
    error_count: int
    received_at: datetime
    processed_at: datetime
    licences: dict[str, int] = {}
    error_codes: dict[str, int] = {}


class StationsReplacedV1(Payload):
    """The stations on file for one licence after an applied upload (public technical data)."""

    TYPE: ClassVar[str] = "sitedata.stations.replaced"
    TOPIC: ClassVar[str] = "sitedata.stations"

    licence_number: str
    upload_id: str
    applied_at: datetime
    mode: str
    special: str | None = None
    station_count: int
    record_count: int
    object_key: str | None = None  # JSON lines of the licence's stations on file (no contacts)


class SiteContactChangedV1(Payload):
    """Columns C, D, E of an accepted file became the account's site-data contact."""

    TYPE: ClassVar[str] = "sitedata.contact.changed"
    TOPIC: ClassVar[str] = CONTACTS

    account_number: str
    contact_name: str
    business_phone: str
    email: str
    upload_id: str


EVENTS = (UploadReceivedV1, UploadProcessedV1, StationsReplacedV1, SiteContactChangedV1)
