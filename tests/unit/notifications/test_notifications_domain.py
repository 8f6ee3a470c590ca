"""The rules of the notifications domain: languages, documents, reminders, rendering."""

from __future__ import annotations

import dataclasses
from datetime import date

from services.notifications.adapters.render import Renderer
from services.notifications.domain import documents as d
from services.notifications.domain import reminders as r
from services.notifications.domain.messages import BILINGUAL, Message, language_for


def facts(**changes: object) -> r.LicenceFacts:
    values: dict[str, object] = {
        "licence_number": "010777001", "account_number": "200000001", "status": "Granted",
        "issued_on": date(2026, 1, 15), "expires_on": date(2036, 1, 14),
        "site_data_required": True, "site_data_from": date(2024, 10, 31),
        "last_upload": date(2026, 11, 5)}
    values.update(changes)
    return r.LicenceFacts(**values)  # type: ignore[arg-type]


def test_unknown_language_preference_means_a_bilingual_message() -> None:
    assert language_for("fr") == "fr"
    assert language_for(None) == BILINGUAL
    assert language_for("de") == BILINGUAL


def test_site_data_is_due_at_the_end_of_the_month_after_the_last_upload() -> None:
    assert r.site_data_due(facts()) == date(2026, 12, 31)
    assert r.site_data_due(facts(last_upload=None)) == date(2026, 2, 28)
    assert r.site_data_due(facts(site_data_required=False)) is None
    assert r.site_data_due(facts(status="Suspended")) is None


def test_site_data_due_soon_seven_days_before_then_overdue_after() -> None:
    assert r.reminders_for(facts(), date(2026, 12, 23)) == []
    due = r.reminders_for(facts(), date(2026, 12, 24))
    assert [(x.kind, x.due_on, x.days_left) for x in due] == [
        ("sitedata_due", date(2026, 12, 31), 7)]
    assert [x.kind for x in r.reminders_for(facts(), date(2026, 12, 31))] == ["sitedata_due"]
    assert [x.kind for x in r.reminders_for(facts(), date(2027, 1, 1))] == ["sitedata_overdue"]


def test_no_site_data_reminder_without_the_obligation() -> None:
    assert r.reminders_for(facts(site_data_required=False), date(2027, 1, 1)) == []


def test_expiry_reminders_at_90_60_30_and_10_days_only_the_latest_threshold() -> None:
    lic = facts(site_data_required=False, expires_on=date(2027, 3, 31))
    kinds = {day: [x.kind for x in r.reminders_for(lic, day)] for day in (
        date(2026, 12, 30), date(2027, 1, 1), date(2027, 1, 30), date(2027, 3, 1),
        date(2027, 3, 21), date(2027, 3, 31), date(2027, 4, 1))}
    assert kinds == {date(2026, 12, 30): [], date(2027, 1, 1): ["expiry_90"],
                     date(2027, 1, 30): ["expiry_60"], date(2027, 3, 1): ["expiry_30"],
                     date(2027, 3, 21): ["expiry_10"], date(2027, 3, 31): ["expiry_10"],
                     date(2027, 4, 1): []}


def test_every_contact_once_case_insensitively() -> None:
    assert r.recipients("A@x.ca", None, "a@X.ca", "", "b@x.ca") == ["A@x.ca", "b@x.ca"]


def invoice(**changes: object) -> d.Invoice:
    values: dict[str, object] = {
        "invoice_number": "INV-1", "account_number": "200000001", "legal_name": "Holder",
        "amount": "1250.00", "due_on": date(2026, 12, 31), "kind": "renewal",
        "delivery": "E-mail", "email": "holder@example.ca", "payment_email": None,
        "language": "en", "licence_numbers": ["010777001"], "shared_secret": "S3CRET-1"}
    values.update(changes)
    return d.Invoice(**values)  # type: ignore[arg-type]


def test_invoice_goes_to_the_payment_contact_when_there_is_one() -> None:
    plain = d.deliver_invoice(invoice(), "")
    assert isinstance(plain, Message) and plain.recipient == "holder@example.ca"
    paid = d.deliver_invoice(invoice(payment_email="pay@example.ca"), "")
    assert isinstance(paid, Message) and paid.recipient == "pay@example.ca"


def test_invoice_by_mail_is_a_letter() -> None:
    letter = d.deliver_invoice(invoice(delivery="Mail"), "Ottawa, ON")
    assert isinstance(letter, d.Letter)
    assert letter.context["shared_secret"] == "S3CRET-1"


def test_a_licence_loaded_long_after_its_issue_is_no_new_document() -> None:
    doc = d.LicenceDocument("010777001", "200000001", "spectrum", "Granted", "", "granted",
                            date(2020, 4, 1), date(2030, 3, 31), "Holder")
    assert not d.needs_document(doc, date(2026, 11, 5))
    assert d.needs_document(doc, date(2020, 4, 10))
    renewed = dataclasses.replace(doc, change="renewed", expires_on=date(2040, 3, 31))
    assert d.needs_document(renewed, date(2026, 11, 5))


def test_bilingual_rendering_has_both_languages_in_text_and_html() -> None:
    message = Message("password_reset", "a@x.ca", BILINGUAL,
                      {"link": "https://x/reset", "expires_at": "2026-11-05 13:00 UTC"})
    rendered = Renderer().render(message)
    assert rendered.subject == ("Reset your Web Profile password / Réinitialisez le mot de "
                                "passe de votre profil Web")
    assert "choose a new password" in rendered.text and "nouveau mot de passe" in rendered.text
    assert 'lang="fr"' in rendered.html and "https://x/reset" in rendered.html


def test_invoice_title_is_the_seed_title_once_even_bilingual() -> None:
    message = Message("invoice", "a@x.ca", BILINGUAL, {
        "invoice_number": "INV-1", "account_number": "200000001", "legal_name": "H",
        "amount": "1.00", "due_on": "2026-12-31", "kind": "renewal", "licence_numbers": "",
        "shared_secret": "S3CRET-1"})
    rendered = Renderer().render(message)
    assert rendered.subject == "ISED Electronic Invoice / Facture électronique ISDE"
    assert rendered.text.count("S3CRET-1") == 2
