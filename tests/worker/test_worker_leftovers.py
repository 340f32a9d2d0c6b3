"""Bug 4: a killed app left a /tmp/autograd-tutor-worker-* folder behind each time. The worker's
files are now anonymous (no name on disk), so even ``kill -9`` of the app leaves nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from process_helpers import gone

APP = textwrap.dedent(
    """
    from autograd_tutor.worker import WorkerClient

    client = WorkerClient("cpu")
    info = client.wait_ready()
    result = client.run("print('some output')", [])
    assert result.stdout == "some output\\n", result
    print(info.pid, flush=True)
    input()  # stays alive until killed
    """
)


def test_a_killed_app_leaves_no_temporary_files(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    app = subprocess.Popen(
        [sys.executable, "-c", APP],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert app.stdout is not None
        worker_pid = int(app.stdout.readline())
        assert list(temp.iterdir()) == []  # nothing named on disk even while both run
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=10)
    finally:
        app.kill()
    # the orphaned worker sees its stdin close and exits by itself (waited on through a pidfd)
    assert gone(worker_pid, limit=10)
    assert list(temp.iterdir()) == []
    assert not list(Path("/tmp").glob(f"autograd-tutor-*{worker_pid}*"))
