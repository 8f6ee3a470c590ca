"""Rights normalise the same way everywhere; TOTP matches RFC 6238's test vector."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.identity.domain import totp
from services.identity.domain.passwords import password_problems
from services.identity.domain.rights import normalise
from shared.errors import DomainError


def test_every_right_includes_view_and_submit_includes_prepare() -> None:
    assert normalise(["upload"]) == ["upload", "view"]
    assert normalise(["submit"]) == ["prepare", "submit", "view"]
    assert normalise(["prepare"]) == ["prepare", "view"]  # preparing without submitting
    assert normalise([]) == ["view"]
    with pytest.raises(DomainError):
        normalise(["delete"])


def test_rfc6238_vector() -> None:
    # RFC 6238 appendix B, SHA-1, secret "12345678901234567890", T = 59 s -> 94287082 (8 digits)
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    when = datetime.fromtimestamp(59, UTC)
    assert totp.code_at(secret, when) == "287082"
    assert totp.verify(secret, "287082", when)
    assert not totp.verify(secret, "287083", when)
    assert totp.verify(secret, totp.code_at(secret, when, offset_steps=-1), when)


def test_the_password_rule_names_every_reason() -> None:
    assert password_problems("Str0ng-Passw0rd!") == []
    assert len(password_problems("short")) == 4


def test_a_code_that_is_not_six_digits_is_simply_wrong() -> None:
    secret = totp.new_secret()
    now = datetime(2026, 11, 5, tzinfo=UTC)
    for code in ("\u0080", "", "12345", "1234567", "abcdef", "١٢٣٤٥٦"):
        assert not totp.verify(secret, code, now)
