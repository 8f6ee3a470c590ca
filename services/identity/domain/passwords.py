"""The web profile password rule (seed 000): 10+ characters with an upper case letter, a lower
case letter, a digit and a special character."""

from __future__ import annotations

MIN_LENGTH = 10


def password_problems(password: str) -> list[str]:
    """Every reason the password is refused, in plain words; empty when it is accepted."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if not any(c.isupper() for c in password):
        problems.append("Add an upper case letter.")
    if not any(c.islower() for c in password):
        problems.append("Add a lower case letter.")
    if not any(c.isdigit() for c in password):
        problems.append("Add a digit.")
    if not any(not c.isalnum() and not c.isspace() for c in password):
        problems.append("Add a special character such as ! # $ % or &.")
    return problems
