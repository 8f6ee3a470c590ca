"""The broadcasting family: its sections in the seed's order and its validation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from services.licensing.domain.applications.framework import (
    AccountFact,
    Checks,
    Context,
    Draft,
    FamilySpec,
    Issue,
    Section,
)
from services.licensing.domain.broadcasting import callsigns as cs
from services.licensing.domain.broadcasting import main as m
from services.licensing.domain.broadcasting import sections as s
from services.licensing.domain.broadcasting import station as st
from services.licensing.domain.broadcasting.callsigns import Catalogue

NAME = "broadcasting"
SIGNS_IN_USE = "call_signs_in_use"  # Context.extra: signs of certificates issued since shipping
TITLES = (
    ("general", "General information"), ("account", "Account information"),
    ("usage", "Usage and other information"), ("stations", "List of stations"),
    ("main_general", "Main station: general details"), ("main_scmo", "Main station: SCMO"),
    ("main_multiplex", "Main station: multiplexed programs"),
    ("main_parameters", "Main station: proposed parameters"),
    ("main_site", "Main station: site information"),
    ("main_attestation", "Antenna systems attestation (online)"),
    ("main_am", "Main station: AM radio general details"),
    ("main_transmitter", "Main station: transmitter specifications"),
    ("main_line", "Main station: transmission line"),
    ("main_antenna", "Main station: antenna data"),
    ("main_erp", "Main station: ERP and HAAT values"),
    ("attachments", "Attachments"), ("summary", "Main station: summary"),
    ("auxiliary", "Auxiliary stations"),
)
Rule = Callable[[Checks, Context, Draft, s.Facts, Catalogue], None]


def facts_of(draft: Draft) -> s.Facts:
    general = st.as_data(draft.get("main_general"))
    service = str(general.get("service") or "")
    purpose = str(st.as_data(draft.get("usage")).get("purpose") or "")
    rows = st.as_data(draft.get("auxiliary")).get("stations")
    iboc = isinstance(rows, list) and any(
        isinstance(r, dict) and r.get("station_type") == s.IBOC for r in rows)
    sign = cs.normalized(str(st.as_data(draft.get("main_parameters")).get("call_sign") or ""))
    return s.Facts(service if service in m.SERVICES else "",
                   bool(purpose) and purpose != s.NEW, sign, iboc)


def _situation(f: s.Facts) -> st.Situation:
    return st.Situation(f.service or "FM", f.modification, documents=f.documents)


def _frequency(draft: Draft) -> float | None:
    value = st.as_data(draft.get("main_general")).get("frequency")
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _own_sign(ctx: Context, draft: Draft) -> str:
    """A modification keeps the certificate's own call sign (its registry service is
    '<service> <call sign>', e.g. 'FM CKQZ-FM')."""
    fact = next((ctx.licences.get(n) for n in certificate_named(draft)), None)
    return cs.normalized(fact.service.split()[-1]) if fact and fact.service.strip() else ""


RULES: dict[str, tuple[Callable[[Draft, s.Facts], bool], Rule]] = {
    "general": (lambda d, f: True, lambda c, x, d, f, k: s.check_general(c, x, f)),
    "account": (lambda d, f: True, lambda c, x, d, f, k: s.check_account(c, x)),
    "usage": (lambda d, f: True, lambda c, x, d, f, k: s.check_usage(c, x, f)),
    "main_general": (lambda d, f: True, lambda c, x, d, f, k: m.check_general_details(c)),
    "main_scmo": (lambda d, f: f.service == "FM" and _says(d, "main_general", "scmo"),
                  lambda c, x, d, f, k: m.check_scmo(c)),
    "main_multiplex": (lambda d, f: f.service == "DTV" and _says(d, "main_general",
                                                                  "multiplexing"),
                       lambda c, x, d, f, k: m.check_multiplex(c)),
    "main_parameters": (lambda d, f: True, lambda c, x, d, f, k: m.check_parameters(
        c, f.service, f.modification, _frequency(d), k, _own_sign(x, d))),
    "main_site": (lambda d, f: True, lambda c, x, d, f, k: _check_main_site(c, f)),
    "main_attestation": (lambda d, f: _attestation(d) == "Online",
                         lambda c, x, d, f, k: m.check_attestation_online(c)),
    "main_am": (lambda d, f: f.service == "AM", lambda c, x, d, f, k: m.check_am(c)),
    "main_transmitter": (lambda d, f: True, lambda c, x, d, f, k: st.check_transmitter(
        c, _situation(f), k)),
    "main_line": (lambda d, f: True, lambda c, x, d, f, k: st.check_line(c)),
    "main_antenna": (lambda d, f: f.service != "AM", lambda c, x, d, f, k: _no_return(
        st.check_antenna(c, _situation(f)))),
    "main_erp": (lambda d, f: f.service != "AM", lambda c, x, d, f, k: st.check_erp(
        c, _situation(f), str(st.as_data(d.get("main_antenna")).get("polarization") or ""))),
    "attachments": (lambda d, f: True, lambda c, x, d, f, k: s.check_attachments(c, f)),
    "auxiliary": (lambda d, f: True, lambda c, x, d, f, k: _check_aux(c, d, f, k)),
}


def _no_return(_: Any) -> None:
    return None


def _says(draft: Draft, section: str, key: str) -> bool:
    return st.as_data(draft.get(section)).get(key) == "Yes"


def _attestation(draft: Draft) -> str:
    return str(st.as_data(draft.get("main_site")).get("site_attestation") or "")


def _check_main_site(c: Checks, f: s.Facts) -> None:
    st.check_site(c)
    st.check_attestation_choice(c, _situation(f))


def _check_aux(c: Checks, draft: Draft, f: s.Facts, k: Catalogue) -> None:
    s.check_auxiliaries(c, f, k)
    main = {"transmitter": st.as_data(draft.get("main_transmitter")),
            "site": st.as_data(draft.get("main_site"))}
    for index, row in enumerate(c.rows("stations", required=False)):
        if row.get("station_type") == s.ALTERNATE:
            s.check_alternate_matches(c.sub("stations", index, row), row, main)


def applies(section: str, draft: Draft) -> bool:
    """Whether a section is part of this application (e.g. SCMO for FM with SCMO only)."""
    rule = RULES.get(section)
    return rule is not None and rule[0](draft, facts_of(draft))


def validate_draft(draft: Draft, ctx: Context, catalogue: Catalogue) -> list[Issue]:
    """Every error of a broadcasting application, section by section in the seed's order."""
    facts = replace(facts_of(draft), documents=frozenset(d.kind for d in ctx.documents))
    issues: list[Issue] = []
    for key, _ in TITLES:
        if key not in RULES or not RULES[key][0](draft, facts):
            continue
        raw = draft.get(key)
        checks = Checks(key, raw if isinstance(raw, dict) else {})
        try:
            RULES[key][1](checks, ctx, draft, facts, catalogue)
        except (TypeError, ValueError, AttributeError, KeyError):
            checks.error("", "APP-SECTION-MALFORMED", "This section could not be read.")
        issues.extend(checks.issues)
    return issues


def _open(_: Checks, __: Context) -> None:
    """Sections are checked together (their rules depend on the station's service)."""


def certificate_named(draft: Draft) -> set[str]:
    number = str(st.as_data(draft.get("usage")).get("certificate_number") or "").strip()
    return {number} if number else set()


def prefill(account: AccountFact) -> Draft:
    """The account section, from the account the application is made for (seed 002: the
    account number, licensee and contacts come from the account; EDIT to change them)."""
    return {"account": {"account_number": account.account_number,
                        "licensee": account.legal_name,
                        "administrative_contact": account.contact("administrative"),
                        "technical_contact": account.contact("technical")}}


def family_spec(catalogue: Catalogue, office: str = "broadcasting") -> FamilySpec:
    return FamilySpec(
        name=NAME, title="Broadcasting certificate",
        sections=tuple(Section(key, title, _open) for key, title in TITLES),
        office=office,
        cross_check=lambda draft, ctx: validate_draft(draft, ctx, catalogue.with_issued(
            ctx.extra.get(SIGNS_IN_USE, ()))),
        licences_named=certificate_named, prefill=prefill)
