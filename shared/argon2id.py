"""argon2id itself: hash a password or shared secret, check one against its hash.

argon2-cffi's defaults (RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes).
These run where they are called; a server calls them through ``shared.hashing`` instead, which
runs them in a child process off its event loop.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# a hash of nothing anyone can type, made with this module's parameters: checking a password
# against it costs what checking a real one does, for a user name that does not exist
DUMMY_HASH = ("$argon2id$v=19$m=65536,t=3,p=4$S30QEZvukAp6aOHHhxb/IQ$"
              "urJxT5PADg5tioED9rTqZAXTaN2dBZ4UgFleoNagDCk")


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def needs_rehash(hashed: str) -> bool:
    """Whether ``hashed`` was made with other parameters than this module's."""
    return _hasher.check_needs_rehash(hashed)


def verify_secret(hashed: str, secret: str) -> bool:
    """Constant-time comparison inside argon2; False on any mismatch or bad hash."""
    try:
        return _hasher.verify(hashed, secret)
    except (VerificationError, InvalidHashError, UnicodeEncodeError):
        return False  # a text that cannot be encoded (a lone surrogate) matches nothing
