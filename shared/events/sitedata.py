"""Events the sitedata service produces (topic ``sitedata.uploads``)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

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


class StationSource(BaseModel):
    """One upload whose rows of the licence are on file, and where its public rows are."""

    model_config = ConfigDict(frozen=True)

    upload_id: str
    object_key: str  # CSV of every station row of the upload, contacts blanked (stationrows)
    rows: int  # the licence's station rows in that upload


class StationsReplacedV2(Payload):
    """The stations on file for one licence after an applied upload (public technical data).

    Version 2 names the uploads whose rows make up the licence's stations now (``sources``,
    oldest first: one after a Replace, several after Appends, none after NOSTATIONS or a
    Replace that left the licence out). Each source points to one object holding the public
    rows of the whole upload (``shared.stationrows``), read once per upload, however many
    licences it touches; a consumer keeps the rows whose ``licence_number`` is this licence.
    """

    TYPE: ClassVar[str] = "sitedata.stations.replaced"
    VERSION: ClassVar[int] = 2
    TOPIC: ClassVar[str] = "sitedata.stations"

    licence_number: str
    upload_id: str
    applied_at: datetime
    mode: str
    special: str | None = None
    station_count: int
    record_count: int
    sources: list[StationSource] = []


class SiteContactChangedV1(Payload):
    """Columns C, D, E of an accepted file became the account's site-data contact."""

    TYPE: ClassVar[str] = "sitedata.contact.changed"
    TOPIC: ClassVar[str] = CONTACTS

    account_number: str
    contact_name: str
    business_phone: str
    email: str
    upload_id: str


EVENTS = (UploadReceivedV1, UploadProcessedV1, StationsReplacedV1, StationsReplacedV2,
          SiteContactChangedV1)
