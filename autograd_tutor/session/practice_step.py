"""What an exercise session and an experiment session share: the practice step at a position
of a lesson session (refused when the step is of another kind), the seconds the learner has
spent on it, and the one way their code and attempts are saved (one atomic write; a sentence
for the learner when it cannot be written). No UI, no torch."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar, cast

from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep
from autograd_tutor.progress import ProgressSaveError
from autograd_tutor.progress.exercise_records import ExerciseAttempt, ExperimentRun, save_practice

StepT = TypeVar("StepT", ExerciseStep, ExperimentStep)


class PracticeStepSession(Generic[StepT]):
    """The practice step at ``position`` of ``session``'s lesson (a :class:`LessonSession`).
    Subclasses name the kind of step they run (``step_type``, and ``kind`` in the error)."""

    step_type: ClassVar[type[ExerciseStep] | type[ExperimentStep]]
    kind: ClassVar[str]  # "an exercise"

    def __init__(
        self, session: Any, position: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        step = session.lesson.steps[position]
        if not isinstance(step, self.step_type):
            raise ValueError(f"step {position + 1} of {session.lesson.id} is not {self.kind}")
        self.session = session
        self.position = position
        self.step: StepT = cast(StepT, step)
        self._clock = clock
        session.worker.prepare_learner()  # the runs' fork server imports torch meanwhile
        self._since = clock()

    @property
    def store(self) -> Any:
        return self.session.store

    @property
    def lesson(self) -> Any:
        return self.session.lesson

    def seconds(self) -> float:
        """Seconds since the step was shown, or since :meth:`restart_clock`."""
        return max(0.0, self._clock() - self._since)

    def restart_clock(self) -> None:
        self._since = self._clock()

    def save(
        self,
        failure: str,
        *,
        code: str | None = None,
        attempt: ExerciseAttempt | ExperimentRun | None = None,
    ) -> str | None:
        """Save the code and/or an attempt in one atomic write: None once written (or with no
        store), else ``"<failure>: <why>"`` for the learner."""
        if self.store is None:
            return None
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

    def cancel(self) -> None:
        self.session.cancel()
