"""Helpers for the command-line tests (``run_cli`` itself is in ``tests/cli_runner.py``)."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

from cli_runner import child_env


def stored_attempts(data_dir: Path) -> list[dict]:
    """Every attempt in the (single) learner file under ``data_dir``."""
    files = [p for p in data_dir.glob("*.json")]
    assert len(files) == 1, files
    doc = json.loads(files[0].read_text(encoding="utf-8"))
    return [a for entry in doc["lessons"].values() for a in entry["attempts"]]


@functools.cache
def torch_sees_cuda() -> bool:
    """Whether torch on this machine sees a CUDA device (asked in a child process)."""
    code = "import torch; print(torch.cuda.is_available())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return done.stdout.strip() == "True"


def run_cli_in_terminal(
    args: list[str], *, stdout_to_terminal: bool = True, timeout: float = 60
) -> tuple[int, str]:
    """``python -m autograd_tutor ARGS`` with standard input (and, unless told otherwise,
    standard output) on a pseudo-terminal, 80x24, nothing typed: its exit status and everything
    it wrote (stdout and stderr, as a terminal shows them). A program still running after
    ``timeout`` seconds (a full-screen app waiting for keys) is killed and fails the test."""
    import fcntl
    import pty
    import select
    import struct
    import termios
    import time

    main_fd, terminal_fd = pty.openpty()
    fcntl.ioctl(terminal_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = child_env(NO_COLOR="1", TERM="xterm-256color")
    proc = subprocess.Popen(
        [sys.executable, "-m", "autograd_tutor", *args],
        stdin=terminal_fd,
        stdout=terminal_fd if stdout_to_terminal else subprocess.PIPE,
        stderr=terminal_fd,
        env=env,
        start_new_session=True,
    )
    os.close(terminal_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main_fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(main_fd, 65536)
                except OSError:  # the terminal closed: every writer has exited
                    data = b""
                if data:
                    chunks.append(data)
                    continue
            if proc.poll() is not None and not ready:
                break
            if ready and not data:
                break
        code = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main_fd)
    if proc.stdout is not None:
        chunks.append(proc.stdout.read())
        proc.stdout.close()
    return code, b"".join(chunks).decode("utf-8", "replace")
