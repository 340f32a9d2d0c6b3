"""Where a learner stands on a lesson's exercises and experiments (no UI, no torch)."""

from __future__ import annotations

from typing import Any

from autograd_tutor.progress.exercise_records import practice_attempts


def step_done(store: Any, lesson: Any, step: Any) -> bool:
    """An exercise passed (or its solution shown), an experiment run at least once."""
    attempts = practice_attempts(store, lesson.id, step.index)
    if step.exercise is not None:
        return any(
            a.get("kind") == "exercise"
            and (a.get("solution_shown") or (not a.get("failed") and not a.get("error")))
            for a in attempts
        )
    return any(a.get("kind") == "experiment" for a in attempts)


def is_practice(step: Any) -> bool:
    return step.exercise is not None or step.experiment is not None


def first_open_practice_step(store: Any, lesson: Any) -> int | None:
    """The index of the first exercise or experiment step not done yet, moved back over the
    explanation steps right before it (as for questions); None when all are done."""
    steps = list(lesson.steps)
    for pos, step in enumerate(steps):
        if is_practice(step) and not step_done(store, lesson, step):
            while pos > 0 and not steps[pos - 1].questions and not is_practice(steps[pos - 1]):
                pos -= 1
            return steps[pos].index
    return None


def lesson_finished(store: Any, lesson: Any) -> bool:
    """Every question answered, every exercise passed (or its solution shown), every
    experiment run at least once."""
    return (
        store.progress.first_unanswered_step(lesson) is None
        and first_open_practice_step(store, lesson) is None
    )
