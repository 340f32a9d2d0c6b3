"""The learner's code survives kill -9 in the middle of saving it: the file always loads, and
holds the last code whose save returned (or a newer one)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from cli_runner import child_env

from autograd_tutor.progress import ProgressStore, read_document
from autograd_tutor.progress.exercise_records import saved_code

SAVER = """
import sys
from pathlib import Path
from autograd_tutor.progress import ProgressStore
from autograd_tutor.progress.exercise_records import save_practice
store = ProgressStore(Path(sys.argv[1]), "kim")
n = 0
while True:
    save_practice(store, "loop", "h" * 64, 1, code=f"# version {n}\\n" + "x = 1\\n" * 2000)
    print(n, flush=True)
    n += 1
"""


def test_kill_9_mid_save_keeps_the_last_saved_code(tmp_path: Path) -> None:
    env = child_env()
    for round_no in range(10):
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env
        )
        assert proc.stdout is not None
        acked = [int(proc.stdout.readline())]
        time.sleep(0.01 * (round_no % 4))
        proc.send_signal(signal.SIGKILL)
        acked += [int(n) for n in proc.stdout.read().split()]
        proc.wait()
        assert read_document(tmp_path / "kim.json") is not None  # never a broken file
        warnings: list[str] = []
        store = ProgressStore(tmp_path, "kim", lock_timeout=5, on_warning=warnings.append)
        store.load()
        code = saved_code(store, "loop", 1)
        assert code is not None
        version = int(code.splitlines()[0].removeprefix("# version "))
        assert version >= max(acked)
        assert warnings == []
