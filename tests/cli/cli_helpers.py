"""Helpers for driving the installed command line in a subprocess, as a learner or a script."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    args: list[str], stdin: str = "", *, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m autograd_tutor ARGS`` with ``stdin`` piped in (no terminal at all)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("AUTOGRAD_TUTOR_DATA", None)
    return subprocess.run(
        [sys.executable, "-m", "autograd_tutor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
    )


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
