"""How far an upload is, in words people read (the status page's progress bar)."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from services.sitedata.domain.upload import Progress, progress_of
from shared.web.portal import Portal
from shared.web.portal.i18n import format_number


def upload_progress(row: Any) -> Progress:
    return progress_of(row.stage, row.size, row.checked_bytes, row.checked_rows,
                       row.applied_rows, row.records)


def progress_text(portal: Portal, request: Request, done: Progress) -> str:
    lang = portal.language(request)
    return portal.t(request, f"sitedata.progress.{done.phase}",
                    checked=format_number(done.rows_checked, lang),
                    applied=format_number(done.rows_applied, lang), percent=done.percent)
