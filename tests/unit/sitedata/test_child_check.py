"""A big file checked in a child process (the embedded system's way) ends exactly as the same
file checked in a thread: the same verdict, the same rows in the same batches, the same
licence look-ups answered by the parent; a store failure or a given-up attempt stops it."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from services.sitedata.adapters.child_check import check_in_child
from services.sitedata.adapters.rows import (
    Batch,
    Cancelled,
    Checked,
    Progress,
    check_and_stage,
    check_in_thread,
)
from services.sitedata.adapters.staging import as_tuples
from services.sitedata.domain.validation import Finding
from shared.stationrows import encode_lines
from shared.storage.local import LocalObjectStore
from tests.support.sitedata_files import invalid_file, station_row, to_csv

TODAY = date(2026, 12, 4)


def _big(stations: int = 1500) -> bytes:
    rows = []
    for n in range(stations):
        for licence in ("010898101", "010898102"):
            rows.append(station_row(licence, f"Site {n}", lat=f"45.{4215 + n}"))
    return to_csv(rows)


def _refuse_102(asked: list[str]) -> Any:
    def check(licence: str) -> Finding | None:
        asked.append(licence)
        if licence != "010898102":
            return None
        return Finding(line=None, column="A", column_name="Spectrum licence number",
                       value=licence, code="SD-LIC-NOT-YOURS", message="not yours")
    return check


async def _run(store: LocalObjectStore, key: str, check_in: Any, encode: Any = encode_lines,
               licence_check: Any = None, progress: Progress | None = None
               ) -> tuple[Checked, list[Batch], Progress]:
    written: list[Batch] = []
    progress = progress or Progress()

    async def write(batch: Batch) -> None:
        written.append(batch)

    checked = await check_and_stage(store, key, "upload-1", "sites.csv", TODAY,
                                    licence_check or (lambda licence: None), encode, write,
                                    progress, check_in)
    return checked, written, progress


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path)


@pytest.mark.parametrize("encode", [encode_lines, as_tuples])
async def test_a_valid_file_stages_the_same_rows_either_way(store: LocalObjectStore,
                                                           encode: Any) -> None:
    await store.put_bytes("in/big.csv", _big())
    here, here_rows, here_progress = await _run(store, "in/big.csv", check_in_thread, encode)
    child, child_rows, child_progress = await _run(store, "in/big.csv", check_in_child, encode)
    assert child.outcome.valid and child.outcome.records == 3000
    assert child.outcome == here.outcome
    assert child.firsts == here.firsts
    assert [(b.rows, b.private, b.public) for b in child_rows] == \
        [(b.rows, b.private, b.public) for b in here_rows]
    assert child_progress.rows == here_progress.rows == 3000
    assert child_progress.applied == 3000


async def test_findings_and_licence_look_ups_come_back_from_the_child(
        store: LocalObjectStore) -> None:
    await store.put_bytes("in/big.csv", _big(300))
    await store.put_bytes("in/bad.csv", invalid_file())
    asked_here: list[str] = []
    asked_child: list[str] = []
    here, _, _ = await _run(store, "in/big.csv", check_in_thread,
                            licence_check=_refuse_102(asked_here))
    child, _, _ = await _run(store, "in/big.csv", check_in_child,
                             licence_check=_refuse_102(asked_child))
    assert not child.outcome.valid
    assert {f.code for f in child.outcome.errors} == {"SD-LIC-NOT-YOURS"}
    assert child.outcome == here.outcome and asked_child == asked_here
    bad_here, _, _ = await _run(store, "in/bad.csv", check_in_thread)
    bad_child, _, _ = await _run(store, "in/bad.csv", check_in_child)
    assert bad_child.outcome.error_count > 0 and bad_child.outcome == bad_here.outcome


class FailingStore(LocalObjectStore):
    def iter_chunks(self, key: str, chunk_size: int = 1 << 16) -> Iterator[bytes]:
        chunks = super().iter_chunks(key, chunk_size)
        yield next(chunks)
        raise OSError("the object store went away")


async def test_a_store_failure_stops_the_child_with_that_error(tmp_path: Path) -> None:
    store = FailingStore(tmp_path)
    await store.put_bytes("in/big.csv", _big())
    with pytest.raises(OSError, match="went away"):
        await _run(store, "in/big.csv", check_in_child)


async def test_a_given_up_attempt_ends_the_child(store: LocalObjectStore) -> None:
    await store.put_bytes("in/big.csv", _big())
    progress = Progress()

    def give_up(licence: str) -> Finding | None:  # asked from the parent, mid-file
        progress.cancel.set()
        return None

    with pytest.raises(Cancelled):
        await _run(store, "in/big.csv", check_in_child, licence_check=give_up,
                   progress=progress)
    assert multiprocessing.active_children() == []
