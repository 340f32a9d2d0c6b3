"""Running the command line as a learner or a script would: ``python -m autograd_tutor`` in a
child process, with stdin piped (no terminal at all)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child interpreter: this one's, without ``AUTOGRAD_TUTOR_DATA`` and
    ``AUTOGRAD_TUTOR_RESULTS`` (each test names its own folders), with this checkout first on
    ``PYTHONPATH``;
    ``extra`` adds variables (a ``PYTHONPATH`` given there goes in front)."""
    env = dict(os.environ)
    env.pop("AUTOGRAD_TUTOR_DATA", None)
    env.pop("AUTOGRAD_TUTOR_RESULTS", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (extra.pop("PYTHONPATH", ""), str(REPO)) if p)
    env.update(extra)
    return env


def run_cli(
    args: Sequence[str],
    stdin: str = "",
    *,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m autograd_tutor ARGS`` with ``stdin`` piped in; ``env`` defaults to
    :func:`child_env`."""
    return subprocess.run(
        [sys.executable, "-m", "autograd_tutor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env if env is not None else child_env(),
        cwd=REPO,
    )
