"""TOTP secrets are kept encrypted with a key derived from the service's token secret."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet


class SecretSealer:
    def __init__(self, token_secret: str):
        key = hashlib.sha256(b"identity-totp:" + token_secret.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        return self._fernet.decrypt(sealed.encode()).decode()
