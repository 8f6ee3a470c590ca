"""Form errors: one message per field, shown in an error summary that links to each field.

A page handler catches a ``DomainError`` and re-renders the form with
``FormErrors.from_error(exc)``; a ``DomainError`` with ``field=`` is shown at that field, one
without it in the summary only. Messages are catalogue keys or plain sentences from the
domain (``DomainError.message``); ``t()`` passes unknown keys through unchanged. A domain
error is shown in the page's language when a catalogue has ``errors.<CODE>`` (and
``errors.<CODE>.fix``); otherwise its own sentence and fix are shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as default

from shared.errors import DomainError


@dataclass(frozen=True)
class FieldError:
    field: str | None
    message: str
    params: Mapping[str, object] = default(default_factory=dict)
    fix: str | None = None
    code: str | None = None

    @property
    def anchor(self) -> str:
        """The id of the field in the page (``field-<name>``) the summary links to."""
        return f"field-{self.field}" if self.field else "main-content"


@dataclass
class FormErrors:
    """What went wrong with a submitted form, in the order found."""

    items: list[FieldError] = default(default_factory=list)

    def add(self, field_name: str | None, message: str, **params: object) -> FormErrors:
        self.items.append(FieldError(field_name, message, params))
        return self

    def require(self, values: Mapping[str, str], *names: str,
                message: str = "portal.error.required") -> FormErrors:
        """Add ``message`` for every name whose value is missing or blank."""
        for name in names:
            if not (values.get(name) or "").strip():
                self.add(name, message)
        return self

    @classmethod
    def from_error(cls, exc: DomainError) -> FormErrors:
        return cls([FieldError(exc.field, exc.message, {}, exc.fix, exc.code)])

    def for_field(self, name: str) -> FieldError | None:
        return next((e for e in self.items if e.field == name), None)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[FieldError]:
        return iter(self.items)
