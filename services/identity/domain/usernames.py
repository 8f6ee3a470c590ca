"""User names are unique without regard to case: ``QA.Holder2`` and ``qa.holder2`` are the same
web profile's name, and sign-in accepts either. The name is kept as its owner wrote it; its
key (case-folded) is what is unique and what is looked up."""

from __future__ import annotations


def username_key(username: str) -> str:
    return username.strip().casefold()
