"""kill -9 in the middle of saves, and two app instances saving for the same learner."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_runner import child_env

from autograd_tutor.progress import ProgressStore, read_document

# Records attempts with question ids "<prefix>-<n>" in a loop and prints n after each save
# returned (an acknowledged attempt); with a count, stops after that many. With "wait", it
# starts saving when its stdin ends (the end of a pipe several savers share: the same moment).
SAVER = """
import sys
from pathlib import Path
from autograd_tutor.progress import Attempt, ProgressStore, utc_now_iso
data_dir, student, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = ProgressStore(Path(data_dir), student)
print("ready", flush=True)
if sys.argv[5:] == ["wait"]:
    sys.stdin.read()
n = 0
while count <= 0 or n < count:
    store.record(Attempt(
        lesson_id="chain-rule", lesson_hash="h" * 64, step=n % 7, question_id=f"{prefix}-{n}",
        expr="x.grad", typed="[1.0, 2.0, 3.0]", verdict="wrong", credit=0.0, hints_used=0,
        seconds=1.0, timestamp=utc_now_iso(), app_version="0.1.0", diagnoses=("sign",),
        feedback="the sign is flipped " * 20, truth="[-1., -2., -3.]",
    ))
    print(n, flush=True)
    n += 1
"""


def _saver(tmp_path: Path, student: str, prefix: str, count: int, go: int | None = None):
    """A SAVER process; with ``go`` (the read end of a pipe), it starts saving when the pipe's
    write end is closed."""
    args = [sys.executable, "-c", SAVER, str(tmp_path), student, prefix, str(count)]
    if go is not None:
        args.append("wait")
    proc = subprocess.Popen(args, stdin=go, stdout=subprocess.PIPE, text=True, env=child_env())
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


@pytest.mark.slow
def test_kill_9_during_saves_never_breaks_the_file_or_loses_an_acknowledged_attempt(
    tmp_path: Path,
) -> None:
    rng = random.Random(5)
    acknowledged: set[str] = set()
    kills_mid_run = 0
    for round_no in range(30):
        proc = _saver(tmp_path, "kim", f"r{round_no}", 0)
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()  # at least one save done: now saving in a loop
        time.sleep(rng.uniform(0.0, 0.04))
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        kills_mid_run += 1
        acked = [first, *rest.split()]
        acknowledged.update(f"r{round_no}-{n}" for n in acked)

        doc = read_document(tmp_path / "kim.json")  # raises if the file were broken
        assert doc is not None
        saved = {a["question_id"] for a in doc["lessons"]["chain-rule"]["attempts"]}
        assert acknowledged <= saved, sorted(acknowledged - saved)[:5]
    assert kills_mid_run == 30
    # the lock of a killed process does not block the next save
    warnings: list[str] = []
    store = ProgressStore(tmp_path, "kim", lock_timeout=5, on_warning=warnings.append)
    store.load()
    assert warnings == []
    assert len(store.progress.attempts("chain-rule")) >= len(acknowledged)


def test_two_writers_for_the_same_learner_keep_all_attempts(tmp_path: Path) -> None:
    go, start = os.pipe()
    writers = [_saver(tmp_path, "sam", prefix, 50, go) for prefix in ("left", "right")]
    os.close(go)
    os.close(start)  # both read the end of the pipe: they start saving at the same moment
    for proc in writers:
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0
        assert out.split()[-1] == "49"
    data = json.loads((tmp_path / "sam.json").read_text())
    ids = [a["question_id"] for a in data["lessons"]["chain-rule"]["attempts"]]
    assert len(ids) == 100
    assert set(ids) == {f"{p}-{n}" for p in ("left", "right") for n in range(50)}
    # each writer's own attempts stay in its order
    for prefix in ("left", "right"):
        mine = [int(i.split("-")[1]) for i in ids if i.startswith(prefix)]
        assert mine == sorted(mine)
