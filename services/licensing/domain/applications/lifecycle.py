"""Statuses of an application, the moves between them, and the service-standard clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.errors import ConflictError

DRAFT = "Draft"
SUBMITTED = "Submitted"
IN_REVIEW = "In review"
INFO_REQUESTED = "Information requested"
APPROVED = "Approved"
PARTIALLY_APPROVED = "Partially approved"
DENIED = "Denied"
WITHDRAWN = "Withdrawn"

OPEN = (SUBMITTED, IN_REVIEW, INFO_REQUESTED)
DECIDED = (APPROVED, PARTIALLY_APPROVED, DENIED, WITHDRAWN)

_MOVES: dict[str, tuple[str, ...]] = {
    "save": (DRAFT,),
    "submit": (DRAFT,),
    "withdraw": (DRAFT, SUBMITTED, IN_REVIEW, INFO_REQUESTED),
    "assign": (SUBMITTED, IN_REVIEW, INFO_REQUESTED),
    "request_info": (SUBMITTED, IN_REVIEW),
    "answer": (INFO_REQUESTED,),
    "decide": (SUBMITTED, IN_REVIEW),
    "checklist": (SUBMITTED, IN_REVIEW, INFO_REQUESTED),
}


def require_move(status: str, move: str) -> None:
    """Refuse a move the application's status does not allow (409, with the reason)."""
    if status not in _MOVES[move]:
        raise ConflictError("APP-STATUS", f"This cannot be done to an application that is "
                            f"{status.lower()}.", fix="Reload the application to see its status.")


@dataclass(frozen=True)
class ServiceClock:
    """Time against the service standard. It runs from submission (when all required
    information is in), stops while information is requested, restarts on the answer and
    ends at the decision."""

    standard_days: int
    started_at: datetime | None = None
    paused_since: datetime | None = None
    paused_seconds: float = 0.0
    stopped_at: datetime | None = None

    def elapsed(self, now: datetime) -> timedelta:
        if self.started_at is None:
            return timedelta(0)
        end = self.stopped_at or self.paused_since or now
        return max(end - self.started_at - timedelta(seconds=self.paused_seconds), timedelta(0))

    def state(self) -> str:
        if self.started_at is None:
            return "not started"
        if self.stopped_at is not None:
            return "stopped"
        return "paused" if self.paused_since is not None else "running"

    def due_at(self, now: datetime) -> datetime | None:
        """When the standard is reached if the clock keeps running from now."""
        if self.started_at is None:
            return None
        return (self.paused_since or self.stopped_at or now) + self.remaining(now)

    def remaining(self, now: datetime) -> timedelta:
        return timedelta(days=self.standard_days) - self.elapsed(now)

    def pause(self, now: datetime) -> ServiceClock:
        if self.paused_since is not None or self.started_at is None:
            return self
        return ServiceClock(self.standard_days, self.started_at, now, self.paused_seconds)

    def resume(self, now: datetime) -> ServiceClock:
        if self.paused_since is None:
            return self
        paused = self.paused_seconds + max((now - self.paused_since).total_seconds(), 0.0)
        return ServiceClock(self.standard_days, self.started_at, None, paused)

    def stop(self, now: datetime) -> ServiceClock:
        resumed = self.resume(now)
        return ServiceClock(self.standard_days, resumed.started_at, None,
                            resumed.paused_seconds, now)

    def view(self, now: datetime) -> dict[str, object]:
        elapsed = self.elapsed(now)
        due = self.due_at(now)
        return {"state": self.state(), "standard_days": self.standard_days,
                "elapsed_days": round(elapsed.total_seconds() / 86400, 2),
                "remaining_days": round(self.remaining(now).total_seconds() / 86400, 2),
                "due_at": due.isoformat() if due else None,
                "overdue": elapsed > timedelta(days=self.standard_days)}
