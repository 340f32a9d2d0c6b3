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


def first_open_practice_step(store: Any, lesson: Any) -> int | None:
    """The index of the first exercise or experiment step not done yet, None when all are."""
    for step in lesson.steps:
        if (step.exercise is not None or step.experiment is not None) and not step_done(
            store, lesson, step
        ):
            return step.index
    return None


def lesson_finished(store: Any, lesson: Any) -> bool:
    """Every question answered, every exercise passed (or its solution shown), every
    experiment run at least once."""
    return (
        store.progress.first_unanswered_step(lesson) is None
        and first_open_practice_step(store, lesson) is None
    )
