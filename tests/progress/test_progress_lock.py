"""The inter-process lock: mutual exclusion, timeouts, and stale O_EXCL lock files."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import pytest

from autograd_tutor.progress.lock import FileLock, LockTimeout

METHODS = ["flock", "excl"] if os.name == "posix" else ["msvcrt", "excl"]


@pytest.mark.parametrize("method", METHODS)
def test_a_held_lock_excludes_another_holder_until_released(tmp_path: Path, method: str) -> None:
    path = tmp_path / ".ada.lock"
    first = FileLock(path, 5, method=method)
    first.acquire()
    with pytest.raises(LockTimeout):
        FileLock(path, 0.05, method=method).acquire()
    first.release()
    with FileLock(path, 1, method=method):
        pass


def test_a_stale_excl_lock_of_a_dead_process_is_broken(tmp_path: Path) -> None:
    path = tmp_path / ".ada.lock"
    dead_pid = 2**22 + 12345  # above the default pid_max: no such process
    (tmp_path / ".ada.lock.excl").write_text(f"{dead_pid} {platform.node()} {time.time()}")
    started = time.monotonic()
    with FileLock(path, 5, method="excl"):
        assert time.monotonic() - started < 1
    assert not (tmp_path / ".ada.lock.excl").exists()


def test_an_old_excl_lock_is_broken_after_stale_after_seconds(tmp_path: Path) -> None:
    path = tmp_path / ".ada.lock"
    excl = tmp_path / ".ada.lock.excl"
    excl.write_text(f"1 another-host {time.time()}")  # cannot check the pid on another host
    with pytest.raises(LockTimeout):
        FileLock(path, 0.05, method="excl").acquire()
    old = time.time() - 120
    os.utime(excl, (old, old))
    with FileLock(path, 1, method="excl", stale_after=60):
        pass
