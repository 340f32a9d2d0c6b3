"""Running the command line as a learner or a script would: ``python -m autograd_tutor`` in a
child process, with stdin piped (no terminal at all); or its ``main()`` in this process with the
session's warm worker, where the child process itself is not what a test is about."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from unittest import mock

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


class _SessionWorker:
    """The test session's warm worker, lent to a command run in this process: everything but
    ``close()``, which the session's fixture does at the end."""

    def __init__(self, worker: Any) -> None:
        self._worker = worker

    def __getattr__(self, name: str) -> Any:
        return getattr(self._worker, name)

    def close(self) -> None:
        pass


def run_main(
    args: Sequence[str], stdin: str = "", *, worker: Any
) -> subprocess.CompletedProcess[str]:
    """The command line's ``main(ARGS)`` in this process, as :func:`run_cli` runs it in a child
    (``stdin`` read as from a pipe; what it prints, its exit status), with the test session's
    warm ``worker`` in place of the one ``--plain`` or ``check`` would start (a torch import,
    about 1.5 s of CPU a run; so an option such as ``--memory-limit`` does not reach it). For
    what only a child process shows (signals, the environment, the exit itself) use
    :func:`run_cli`."""
    from autograd_tutor import cli
    from autograd_tutor.commands import check

    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ),  # as child_env: each test names its own folders
        mock.patch.object(cli, "worker_checked_early", lambda *_: _SessionWorker(worker)),
        mock.patch.object(check, "WorkerClient", lambda **_: _SessionWorker(worker)),
        mock.patch.object(sys, "stdin", io.StringIO(stdin)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        os.environ.pop("AUTOGRAD_TUTOR_DATA", None)
        os.environ.pop("AUTOGRAD_TUTOR_RESULTS", None)
        status = cli.main(list(args))
    return subprocess.CompletedProcess(
        ["autograd-tutor", *args], status, out.getvalue(), err.getvalue()
    )
