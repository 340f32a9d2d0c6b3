"""Helpers for the progress tests: attempts, fake lessons, and running the CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from autograd_tutor.progress import Attempt, utc_now_iso

REPO = Path(__file__).resolve().parents[2]


def make_attempt(
    lesson_id: str = "chain-rule",
    question_id: str = "1.1",
    *,
    step: int = 0,
    typed: str | None = "[2., 4.]",
    verdict: str = "right",
    credit: float | None = None,
    lesson_hash: str = "hash-v1",
    expr: str = "x.grad",
    diagnoses: tuple[str, ...] = (),
    feedback: str = "",
) -> Attempt:
    if credit is None:
        credit = {"right": 1.0, "partial": 0.5}.get(verdict, 0.0)
    return Attempt(
        lesson_id=lesson_id,
        lesson_hash=lesson_hash,
        step=step,
        question_id=question_id,
        expr=expr,
        typed=typed,
        verdict=verdict,
        credit=credit,
        hints_used=0,
        seconds=4.5,
        timestamp=utc_now_iso(),
        app_version="0.1.0",
        diagnoses=diagnoses,
        feedback=feedback,
        truth="[2., 4.]",
    )


@dataclass
class FakeQuestion:
    id: str


@dataclass
class FakeStep:
    index: int
    questions: list[FakeQuestion] = field(default_factory=list)


@dataclass
class FakeLesson:
    id: str
    steps: list[FakeStep]


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("AUTOGRAD_TUTOR_DATA", None)
    env["PYTHONPATH"] = os.pathsep.join([p for p in (extra.pop("PYTHONPATH", ""), str(REPO)) if p])
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
    """``python -m autograd_tutor ARGS`` with output piped."""
    return subprocess.run(
        [sys.executable, "-m", "autograd_tutor", *args],
        capture_output=True,
        text=True,
        env=env or child_env(),
        timeout=timeout,
        cwd=REPO,
    )
