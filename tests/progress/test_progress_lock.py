"""The inter-process lock (filelock): mutual exclusion, timeouts, a dead holder's soft lock,
and the soft fallback's age limit. Lock holders are other processes, as in real use."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_runner import REPO, child_env

from autograd_tutor.progress.locking import save_lock

HOLD = """
import sys, time
from pathlib import Path
from autograd_tutor.progress.locking import save_lock
lock = save_lock(Path(sys.argv[1]), 5, method=sys.argv[2])
lock.acquire()
print("held", flush=True)
if sys.argv[3] == "die":
    import os
    os._exit(0)  # like kill -9: the lock is never released
time.sleep(30)
"""


def _holder(path: Path, method: str, then: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), method, then],
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


@pytest.mark.parametrize("method", ["auto", "soft"])
def test_a_held_lock_excludes_another_holder_until_released(tmp_path: Path, method: str) -> None:
    path = tmp_path / ".ada.lock"
    holder = _holder(path, method, "hold")
    try:
        with pytest.raises(TimeoutError):
            save_lock(path, 0.1, method=method).acquire()
    finally:
        holder.kill()
        holder.wait()
    with save_lock(path, 5, method=method):  # the holder is gone: free again
        pass


def test_a_soft_lock_of_a_dead_process_is_reclaimed(tmp_path: Path) -> None:
    path = tmp_path / ".ada.lock"
    _holder(path, "soft", "die").wait()
    assert path.exists()  # the dead process's marker is still there
    started = time.monotonic()
    with save_lock(path, 5, method="soft"):
        assert time.monotonic() - started < 2


def test_a_soft_lock_older_than_stale_after_is_broken(tmp_path: Path) -> None:
    path = tmp_path / ".ada.lock"
    holder = _holder(path, "soft", "hold")  # alive, but holding far longer than a save takes
    try:
        with pytest.raises(TimeoutError):
            save_lock(path, 0.1, method="soft").acquire()
        old = time.time() - 120  # the marker as a holder two minutes in would leave it
        os.utime(path, (old, old))
        with save_lock(path, 5, method="soft", stale_after=60.0):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_filelock_is_imported_only_when_a_save_takes_the_lock(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from autograd_tutor.progress import ProgressStore\n"
        "store = ProgressStore(Path(sys.argv[1]), 'ada')\n"
        "store.load()\n"
        "print('filelock' in sys.modules)\n"
        "store.record_many([])\n"
        "store.reset_lesson('none')\n"
        "print('filelock' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]  # start-up does not pay for it
