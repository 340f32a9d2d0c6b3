"""``report --rerun``'s engine: which attempt runs, and what each outcome means (with a fake
runner standing in for ``WorkerClient.run_learner``: the real one is tested with the contained
runner's hostile corpus)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.lessons.model import ExerciseStep, Lesson
from autograd_tutor.progress.report.read import ExerciseClaim
from autograd_tutor.rerun.engine import RerunJob, choose_jobs, rerun, sandbox_block
from autograd_tutor.worker.protocol import CheckResult, StepResult


@pytest.fixture(scope="module")
def lesson() -> Lesson:
    return next(lesson for lesson in load_lessons(None)[0] if lesson.id == "training-loop")


def _step(lesson: Lesson) -> int:
    return next(s.index for s in lesson.steps if isinstance(s, ExerciseStep))


class FakeRunner:
    """Passes code that says PASS, fails the rest; records every prelude it was given."""

    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.preludes: list[list[tuple[str, int]]] = []

    def run_learner(self, prelude: Any, code: str, **_: Any) -> StepResult:
        self.preludes.append(list(prelude))
        exercise = next(s.exercise for s in self.lesson.steps if isinstance(s, ExerciseStep))
        if "CRASH" in code:
            return StepResult.failure("NameError", "name 'w' is not defined")
        ok = "PASS" in code
        checks = [CheckResult(c.id, ok, "") for c in exercise.checks]
        return StepResult([], "", None, None, 1, {}, 0.1, checks)


def _claim(lesson: Lesson, code: str, passed: bool) -> ExerciseClaim:
    return ExerciseClaim(lesson.id, _step(lesson), lesson.content_hash, code, passed)


def test_each_outcome_says_what_happened_here(lesson: Lesson) -> None:
    claims = {
        "honest": [_claim(lesson, "PASS", True)],
        "forged": [_claim(lesson, "patched the checks", True)],  # stored pass, code fails
        "failing": [_claim(lesson, "nope", False)],
        "crashing": [_claim(lesson, "CRASH", True)],
        "modest": [_claim(lesson, "PASS", False)],  # stored a failure, passes here
    }
    jobs = choose_jobs((name, Path(f"{name}.json"), c) for name, c in claims.items())
    runner = FakeRunner(lesson)
    progress: list[tuple[int, int]] = []
    lock = threading.Lock()

    def on_progress(done: int, total: int) -> None:
        with lock:
            progress.append((done, total))

    results = rerun(
        jobs,
        {lesson.id: lesson},
        lambda: runner,
        prelude_for=lambda _lesson, _pos: [("setup()", 1)],
        probe_for=lambda _lesson, _pos: {},
        hidden=[Path("/results")],
        workers=2,
        on_progress=on_progress,
    )
    standing = {r.job.student: (r.standing, r.detail) for r in results}
    assert standing["honest"] == ("passed (re-run)", "")
    assert standing["forged"][0] == "passed on the learner's machine only"
    assert standing["forged"][1].startswith("check failed: ")
    assert standing["failing"][0] == "failed on re-run"
    assert standing["crashing"] == (
        "passed on the learner's machine only",
        "the code stopped: NameError",
    )
    assert standing["modest"] == ("passed (re-run)", "")
    assert sorted(progress) == [(n, 5) for n in range(1, 6)]
    # isolation comes first, before the lesson's own code
    assert all(
        p[0] == sandbox_block([Path("/results")]) and p[1] == ("setup()", 1)
        for p in runner.preludes
    )


def test_the_latest_claimed_pass_runs_else_the_latest_attempt(lesson: Lesson) -> None:
    tries = [_claim(lesson, "a", False), _claim(lesson, "b PASS", True), _claim(lesson, "c", False)]
    (job,) = choose_jobs([("ann", Path("ann.json"), tries)])
    assert job.claim.code == "b PASS"
    (job,) = choose_jobs([("bob", Path("bob.json"), [tries[0], tries[2]])])
    assert job == RerunJob("bob", Path("bob.json"), tries[2])
