"""English and French: message catalogues, the language of a request, dates and numbers.

Catalogues are flat JSON objects (``{"key": "text with {name}"}``): the portal's own in
``shared/web/portal/messages/{en,fr}.json`` and each service's in
``services/<name>/web/messages/{en,fr}.json``, merged into one per language. Keys are dotted
and start with their owner (``portal.``, ``sitedata.``, ``identity.``...).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import structlog

log = structlog.get_logger()

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "sms_lang"

_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}


class Catalogue:
    """All messages of every language, from the given folders (later folders add keys)."""

    def __init__(self, folders: Iterable[Path]):
        self.messages: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
        for folder in folders:
            for lang in LANGUAGES:
                path = folder / f"{lang}.json"
                if path.is_file():
                    self.messages[lang].update(json.loads(path.read_text(encoding="utf-8")))

    def t(self, lang: str, key: str, params: Mapping[str, object] | None = None) -> str:
        """The text of ``key`` in ``lang`` (English when missing there, the key when missing
        everywhere), with ``{name}`` placeholders filled from ``params``."""
        text = self.messages.get(lang, {}).get(key)
        if text is None:
            text = self.messages[DEFAULT_LANGUAGE].get(key)
        if text is None:
            if " " not in key:
                log.warning("portal.message_missing", key=key, lang=lang)
            return key
        if params:
            try:
                return text.format_map(dict(params))
            except (KeyError, IndexError, ValueError):
                log.warning("portal.message_params", key=key, lang=lang)
        return text

    def has(self, key: str) -> bool:
        return key in self.messages[DEFAULT_LANGUAGE]


def supported(lang: str | None) -> str | None:
    value = (lang or "").strip().lower()[:2]
    return value if value in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The first supported language of an Accept-Language header, by weight."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        pieces = part.strip().split(";")
        weight = 1.0
        for piece in pieces[1:]:
            name, _, value = piece.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        lang = supported(pieces[0])
        if lang and weight > 0:
            choices.append((-weight, index, lang))
    return min(choices)[2] if choices else None


def negotiate(query: str | None, cookie: str | None, accept: str | None) -> str:
    """``?lang=`` first, then the language cookie, then Accept-Language, then English."""
    return (supported(query) or supported(cookie) or from_accept_language(accept)
            or DEFAULT_LANGUAGE)


def format_number(value: int | float | Decimal | None, lang: str, digits: int | None = None) -> str:
    """``1,234.5`` in English, ``1 234,5`` in French (no-break spaces)."""
    if value is None:
        return ""
    text = f"{value:,.{digits}f}" if digits is not None else f"{value:,}"
    if lang == "fr":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def _as_date(value: date | datetime | str | None) -> date | datetime | None:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return value


def format_date(value: date | datetime | str | None, lang: str) -> str:
    """``November 22, 2026`` / ``22 novembre 2026``."""
    day = _as_date(value)
    if day is None:
        return "" if value is None else str(value)
    month = _MONTHS["fr" if lang == "fr" else "en"][day.month - 1]
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{month} {day.day}, {day.year}"


def format_datetime(value: date | datetime | str | None, lang: str) -> str:
    """The date, then the time in 24 hours (``14:05`` / ``14 h 05``), in UTC."""
    moment = _as_date(value)
    if not isinstance(moment, datetime):
        return format_date(value, lang)
    clock = f"{moment.hour} h {moment.minute:02d}" if lang == "fr" else \
        f"{moment.hour:02d}:{moment.minute:02d}"
    return f"{format_date(moment, lang)} {clock}"
