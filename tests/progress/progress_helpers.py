"""Helpers for the progress tests: attempts and fake lessons (``run_cli`` and ``child_env`` are
in ``tests/cli_runner.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd_tutor.progress import Attempt, utc_now_iso


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
