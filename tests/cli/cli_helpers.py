"""Helpers for the command-line tests (``run_cli`` itself is in ``tests/cli_runner.py``)."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path


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
