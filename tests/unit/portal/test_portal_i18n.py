"""Languages, catalogues, dates and numbers of the portal."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from shared.web.portal.i18n import (
    Catalogue,
    format_date,
    format_datetime,
    format_number,
    from_accept_language,
    negotiate,
)

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted({p.parent for p in [*ROOT.glob("services/*/web/messages/en.json"),
                                        ROOT / "shared/web/portal/messages/en.json"]})


@pytest.mark.parametrize("folder", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_exists_in_english_and_french(folder: Path) -> None:
    english = json.loads((folder / "en.json").read_text(encoding="utf-8"))
    french = json.loads((folder / "fr.json").read_text(encoding="utf-8"))
    assert sorted(set(english) ^ set(french)) == []
    assert all(isinstance(v, str) and v for v in [*english.values(), *french.values()])


def test_query_beats_cookie_beats_accept_language() -> None:
    assert negotiate("fr", "en", "en-CA") == "fr"
    assert negotiate(None, "fr", "en-CA") == "fr"
    assert negotiate(None, None, "fr-CA,fr;q=0.9,en;q=0.8") == "fr"
    assert negotiate("de", None, None) == "en"
    assert from_accept_language("de-DE, en;q=0.5, fr;q=0.7") == "fr"
    assert from_accept_language("fr;q=0") is None


def test_dates_and_numbers_follow_the_language() -> None:
    assert format_date(date(2026, 11, 22), "en") == "November 22, 2026"
    assert format_date(date(2026, 11, 1), "fr") == "1er novembre 2026"
    assert format_date("2026-03-31", "fr") == "31 mars 2026"
    assert format_datetime(datetime(2026, 2, 3, 14, 5), "fr") == "3 février 2026 14 h 05"
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(1234567.5, "fr", 1) == "1\u00a0234\u00a0567,5"
    assert format_date(None, "en") == ""


def test_a_missing_french_text_falls_back_to_english_and_fills_placeholders(
        tmp_path: Path) -> None:
    (tmp_path / "en.json").write_text('{"a.b": "Hello {name}", "a.c": "Only English"}')
    (tmp_path / "fr.json").write_text('{"a.b": "Bonjour {name}"}')
    catalogue = Catalogue([tmp_path])
    assert catalogue.t("fr", "a.b", {"name": "Ana"}) == "Bonjour Ana"
    assert catalogue.t("fr", "a.c") == "Only English"
    assert catalogue.t("fr", "A plain sentence.") == "A plain sentence."
