"""Shared secrets are kept encrypted (they are printed on invoices), and leave only as hashes."""

from __future__ import annotations

import secrets

from cryptography.fernet import Fernet

from shared.hashing import hash_secret

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_shared_secret() -> str:
    groups = ["".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


class SecretBox:
    def __init__(self, key: str):
        self._fernet = Fernet(key.encode())

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        return self._fernet.decrypt(sealed.encode()).decode()


def secret_hash(secret: str) -> str:
    """What travels in events: a salted one-way argon2 hash."""
    return hash_secret(secret)
