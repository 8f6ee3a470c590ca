"""Regular-expression building blocks shared by the detailed checker and the fast path.

The range builders write a regex that matches exactly the canonical decimal numbers (no
leading zeros, optional ``-``, optional ``.digits``) that lie in a range. Non-canonical
spellings (``007``, ``-0``) are not matched: the fast path then hands the row to the detailed
checker, which judges them by value. All classes are ASCII: ``\\d`` would match other digits.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = "[0-9]"
NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
INTEGER = r"-?[0-9]+"
FRACTION = r"(?:\.[0-9]++|)"  # possessive: a separator, never a digit, follows
NOTHING = "(?!)"

# E-mail address: a local part without spaces or separators, an @, and a domain of labels
# (letters, digits, hyphens inside) with at least one dot. Unicode letters are allowed.
_LOCAL = r"[^\s@,;:\"<>()\[\]\\\x1f]+"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_]|)"
EMAIL = rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+"

_YEAR = "[1-9][0-9]{3}"
_LEAP_YEAR = (
    "(?:[1-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)"
)
DATE = (
    f"(?:{_YEAR}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
    f"|(?:0[13578]|1[02])-31)|{_LEAP_YEAR}-02-29)"
)


def _alt(parts: list[str]) -> str:
    """Alternatives, longest numbers first: the regex engine then backtracks less."""
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(reversed(parts)) + ")"


def _same_length(lo: str, hi: str) -> list[str]:
    """Alternatives matching the integers lo..hi, both written with the same digit count."""
    if lo == hi:
        return [lo]
    if len(lo) == 1:
        return [f"[{lo}-{hi}]"]
    rest = len(lo) - 1
    if lo[1:] == "0" * rest and hi[1:] == "9" * rest:
        return [f"[{lo[0]}-{hi[0]}][0-9]{{{rest}}}"]
    if lo[0] == hi[0]:
        return [lo[0] + _alt(_same_length(lo[1:], hi[1:]))]
    parts = [lo[0] + _alt(_same_length(lo[1:], "9" * rest))]
    if int(hi[0]) - int(lo[0]) > 1:
        parts.append(f"[{int(lo[0]) + 1}-{int(hi[0]) - 1}][0-9]{{{rest}}}")
    parts.append(hi[0] + _alt(_same_length("0" * rest, hi[1:])))
    return parts


def int_range(lo: int, hi: int | None) -> str:
    """Canonical non-negative integers lo..hi (hi None: no upper limit)."""
    if lo < 0 or (hi is not None and hi < lo):
        raise ValueError("int_range needs 0 <= lo <= hi")
    top = hi if hi is not None else 10 ** len(str(lo)) - 1
    parts: list[str] = []
    for width in range(len(str(lo)), len(str(top)) + 1):
        first = max(lo, 10 ** (width - 1) if width > 1 else 0)
        last = min(top, 10**width - 1)
        if first <= last:
            parts.extend(_same_length(str(first), str(last)))
    if hi is None:
        parts.append(f"[1-9][0-9]{{{len(str(lo))},}}")
    return _alt(parts)


def _fraction_digits(value: Decimal) -> str:
    """The digits after the point of a non-negative value, without trailing zeros."""
    text = format(value - int(value), "f")
    return text.partition(".")[2].rstrip("0")


def fraction_at_most(digits: str) -> str:
    """Fraction digit strings f with 0.f <= 0.digits."""
    if not digits:
        return "0+"
    parts = [digits + "0*"]
    for i, d in enumerate(digits):
        if d != "0":
            parts.append(digits[:i] + f"[0-{int(d) - 1}][0-9]*")
        if i:
            parts.append(digits[:i] + "0*")
    return _alt(parts)


def fraction_at_least(digits: str, strict: bool = False) -> str:
    """Fraction digit strings f with 0.f >= 0.digits (> when strict)."""
    parts = [digits + ("[0-9]*[1-9][0-9]*" if strict else "[0-9]*")]
    for i, d in enumerate(digits):
        if d != "9":
            parts.append(digits[:i] + f"[{int(d) + 1}-9][0-9]*")
    return _alt(parts)


def _non_negative(lo: Decimal, hi: Decimal | None, integer: bool, strict: bool) -> str:
    """Canonical numbers x with lo <= x <= hi (lo < x when strict), lo >= 0."""
    ilo, flo = int(lo), _fraction_digits(lo)
    frac = "" if integer else FRACTION
    if hi is not None and int(hi) == ilo:
        if flo or strict:
            return NOTHING  # not needed by the rule book; the detailed checker decides
        return f"{ilo}" + ("" if integer else f"(?:\\.{fraction_at_most(_fraction_digits(hi))}|)")
    parts: list[str] = []
    if flo or strict:
        if not integer:
            parts.append(f"{ilo}\\.{fraction_at_least(flo, strict)}")
        first = ilo + 1
    else:
        first = ilo
    top = None if hi is None else int(hi) - 1
    if top is None or first <= top:
        parts.append(int_range(first, top) + frac)
    if hi is not None:
        fhi = _fraction_digits(hi)
        parts.append(f"{int(hi)}" + ("" if integer else f"(?:\\.{fraction_at_most(fhi)}|)"))
    return _alt(parts)


def number_range(
    lo: Decimal | None, hi: Decimal | None, *, integer: bool = False, strict_low: bool = False
) -> str:
    """Canonical numbers in lo..hi (strict_low: lo excluded). Negative bounds are allowed."""
    if lo is None:
        raise ValueError("number_range needs a lower bound")
    if hi is not None and hi < 0:
        return "-" + _negated(lo, hi, integer, strict_low)
    parts: list[str] = []
    if lo < 0:
        parts.append("-" + _negated(lo, Decimal(0), integer, strict_low))
        lo, strict_low = Decimal(0), False
    parts.append(_non_negative(lo, hi, integer, strict_low))
    return _alt(parts)


def _negated(lo: Decimal, hi: Decimal, integer: bool, strict_low: bool) -> str:
    """Magnitudes m with -m in lo..hi, written after a '-'; lo < 0, hi <= 0."""
    if strict_low:
        return NOTHING  # not needed by the rule book; the detailed checker decides
    return _non_negative(-hi, -lo, integer, False)
