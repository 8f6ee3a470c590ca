"""A fixed share of a core for chosen processes (the kernel's CPU controller, cgroup v1 or v2),
as a pod with a CPU limit has one.

On a machine whose cores every process of the stack shares, adding a consumer process cannot
show how the work spreads: the cores are full before any consumer is. Giving each consumer
its own quota makes the consumers the limit, as they are on a cluster where each runs on cores
of its own; the surge benchmark uses it with ``--consumer-cpu``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

V1 = Path("/sys/fs/cgroup/cpu")
V2 = Path("/sys/fs/cgroup")
PERIOD_US = 100_000


class QuotaUnavailable(RuntimeError):
    """No writable CPU controller here (not root, or no cgroup file system)."""


def _root() -> tuple[Path, int]:
    if (V1 / "cpu.cfs_quota_us").exists():
        return V1, 1
    controllers = V2 / "cgroup.controllers"
    if controllers.exists() and "cpu" in controllers.read_text(encoding="ascii").split():
        return V2, 2
    raise QuotaUnavailable("no cgroup CPU controller is mounted")


def _limit(group: Path, version: int, cores: float) -> None:
    quota = max(1_000, int(cores * PERIOD_US))
    if version == 1:
        (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (group / "cpu.cfs_quota_us").write_text(str(quota))
    else:
        (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")


@contextlib.contextmanager
def quota_each(pids: dict[str, int], cores: float) -> Iterator[list[str]]:
    """Each process of ``pids`` (label -> pid) in a group of its own limited to ``cores`` of a
    core (its children started later inherit it); the groups are removed on exit, their
    processes given back to the root group first. Yields the groups' paths."""
    root, version = _root()
    groups: list[Path] = []
    try:
        for label, pid in pids.items():
            group = root / f"sms-bench-{label}-{pid}"
            try:
                group.mkdir()
            except PermissionError as error:
                raise QuotaUnavailable(f"cannot create {group}: {error}") from error
            groups.append(group)
            _limit(group, version, cores)
            (group / "cgroup.procs").write_text(str(pid))
        yield [str(g) for g in groups]
    finally:
        for group in groups:
            _release(root, group)


def _release(root: Path, group: Path) -> None:
    with contextlib.suppress(OSError):
        for pid in (group / "cgroup.procs").read_text(encoding="ascii").split():
            with contextlib.suppress(OSError):
                (root / "cgroup.procs").write_text(pid)
    with contextlib.suppress(OSError):
        group.rmdir()
