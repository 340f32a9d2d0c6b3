"""One exercise step: the learner's code -> worker (with checks) -> verdicts -> progress.

Both interfaces drive an :class:`ExerciseSession`; it holds no UI and no torch. Running the
learner's code brings the namespace to "every earlier step ran" (through the lesson session),
runs the step's setup code, then the learner's code with the exercise's checks, under the
lesson's time limit, in the worker. The code and the attempt are saved in one atomic write.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from autograd_tutor.lessons.model import ExerciseStep, Step
from autograd_tutor.lessons.practice import Check, Exercise
from autograd_tutor.progress import ProgressSaveError
from autograd_tutor.progress.exercise_records import (
    ExerciseAttempt,
    FailedCheck,
    practice_attempts,
    save_practice,
    saved_code,
)
from autograd_tutor.progress.records import ExerciseAttemptRecord, PracticeAttempt
from autograd_tutor.session.learner_code import run_exercise_code
from autograd_tutor.worker import StepResult
from autograd_tutor.worker.protocol import CheckResult

LossCallback = Callable[[list[float]], None]
CHECK_LABELS: dict[bool | None, str] = {True: "✓ passed", False: "✗ failed", None: "– not checked"}


@dataclass(frozen=True)
class CheckOutcome:
    check: Check
    passed: bool | None  # None: could not be checked (the code stopped first)
    message: str  # what is wrong ("" when it passed)

    @property
    def label(self) -> str:
        return CHECK_LABELS[self.passed]


@dataclass
class ExerciseOutcome:
    step: Step
    code: str
    result: StepResult
    checks: list[CheckOutcome] = field(default_factory=list)
    replay_failed_at: int | None = None
    save_error: str | None = None

    @property
    def passed(self) -> bool:
        return self.result.error is None and all(c.passed for c in self.checks)

    @property
    def failed_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if c.passed is not True]


def check_outcomes(exercise: Exercise, results: list[CheckResult]) -> list[CheckOutcome]:
    """The worker's check results matched to the lesson's checks (a missing one: not checked)."""
    by_id = {r.id: r for r in results}
    out = []
    for check in exercise.checks:
        found = by_id.get(check.id)
        if found is None:
            out.append(CheckOutcome(check, None, "not checked"))
        else:
            out.append(CheckOutcome(check, found.passed, found.message))
    return out


class ExerciseSession:
    """The exercise at ``position`` of ``session``'s lesson (a :class:`LessonSession`)."""

    def __init__(
        self, session: Any, position: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        step = session.lesson.steps[position]
        if not isinstance(step, ExerciseStep):
            raise ValueError(f"step {position + 1} of {session.lesson.id} is not an exercise")
        self.session = session
        self.position = position
        self.step: ExerciseStep = step
        self.exercise: Exercise = step.exercise
        self._clock = clock
        session.worker.prepare_learner()  # the runs' fork server imports torch meanwhile
        self._shown_at = clock()
        self.last: ExerciseOutcome | None = None
        self.solution_shown = False

    @property
    def store(self) -> Any:
        return self.session.store

    @property
    def lesson(self) -> Any:
        return self.session.lesson

    # -- the code --------------------------------------------------------------------------
    def initial_code(self) -> str:
        """The learner's saved code, else the starter code."""
        if self.store is not None:
            try:
                code = saved_code(self.store, self.lesson.id, self.step.index)
            except (OSError, ValueError):
                code = None
            if code is not None:
                return code
        return self.exercise.starter

    def save_code(self, code: str) -> str | None:
        """Keep the learner's code (leaving the step, quitting); an error message or None."""
        if self.store is None:
            return None
        return self._save(code, None, "Your code could not be saved")

    def _save(self, code: str, attempt: ExerciseAttempt | None, failure: str) -> str | None:
        """Save the code (and an attempt) in one atomic write; ``"<failure>: <why>"`` when it
        could not be written, else None. Only called with a store."""
        assert self.store is not None
        try:
            save_practice(
                self.store,
                self.lesson.id,
                self.lesson.content_hash,
                self.step.index,
                code=code,
                attempt=attempt,
            )
        except ProgressSaveError as exc:
            return f"{failure}: {exc}"
        return None

    def attempts(self) -> list[PracticeAttempt]:
        if self.store is None:
            return []
        return practice_attempts(self.store, self.lesson.id, self.step.index)

    def ever_passed(self) -> bool:
        if self.last is not None and self.last.passed:
            return True
        return any(isinstance(a, ExerciseAttemptRecord) and a.passed_all for a in self.attempts())

    def may_show_solution(self) -> bool:
        """After passing freely; after a failed run on request (counted like a skip)."""
        return self.ever_passed() or self.last is not None or bool(self.attempts())

    def show_solution(self, code: str) -> tuple[str, str | None]:
        """The reference solution; once per session it is recorded as shown (like a skip),
        unless the learner had passed. Returns ``(solution, save error or None)``."""
        error = None
        if not self.solution_shown and not self.ever_passed() and self.store is not None:
            attempt = ExerciseAttempt(
                step=self.step.index,
                code=code,
                passed=(),
                failed=(),
                solution_shown=True,
                seconds=self._seconds(),
            )
            error = self._save(code, attempt, "Could not record that the solution was shown")
        self.solution_shown = True
        return self.exercise.solution, error

    # -- running ---------------------------------------------------------------------------
    def run(self, code: str, *, on_loss: LossCallback | None = None) -> ExerciseOutcome:
        """Run the learner's ``code`` with the checks; record the attempt and the code."""
        run = self.session.run_learner_code(
            self.position,
            lambda worker: run_exercise_code(
                worker,
                self.step,
                code,
                lesson=self.lesson,
                time_limit=self.lesson.time_limit,
                on_loss=on_loss,
            ),
        )
        return self._finish(code, run.result, run.replay_failed_at, record=run.ran)

    def cancel(self) -> None:
        self.session.cancel()

    def _seconds(self) -> float:
        return max(0.0, self._clock() - self._shown_at)

    def _finish(
        self, code: str, result: StepResult, replay_failed_at: int | None, *, record: bool
    ) -> ExerciseOutcome:
        outcome = ExerciseOutcome(self.step, code, result, replay_failed_at=replay_failed_at)
        if record:
            outcome.checks = check_outcomes(self.exercise, result.checks)
        self.last = outcome
        if self.store is None:
            return outcome
        attempt = None
        if record:
            attempt = ExerciseAttempt(
                step=self.step.index,
                code=code,
                passed=tuple(c.check.id for c in outcome.checks if c.passed),
                failed=tuple(
                    FailedCheck(c.check.id, c.check.says)
                    for c in outcome.checks
                    if c.passed is False
                ),
                error=result.error.type if result.error is not None else "",
                seconds=self._seconds(),
            )
        outcome.save_error = self._save(
            code, attempt, "Your code and this attempt could not be saved"
        )
        return outcome
