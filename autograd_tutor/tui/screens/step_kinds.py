"""Which screen shows a step: questions (``StepScreen``), an exercise or an experiment."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.screen import Screen


def screen_for_step(session: Any, position: int, order: Sequence[int]) -> Screen[Any]:
    """The screen for step ``position`` of ``session``'s lesson."""
    step = session.lesson.steps[position]
    if step.exercise is not None:
        from autograd_tutor.tui.screens.exercise import ExerciseScreen

        return ExerciseScreen(session, position, order)
    if step.experiment is not None:
        from autograd_tutor.tui.screens.experiment import ExperimentScreen

        return ExperimentScreen(session, position, order)
    from autograd_tutor.tui.screens.step import StepScreen

    return StepScreen(session, position, order)


def is_step_screen(screen: Screen[Any]) -> bool:
    """True for any screen that shows one step of a lesson."""
    from autograd_tutor.tui.screens.exercise import ExerciseScreen
    from autograd_tutor.tui.screens.experiment import ExperimentScreen
    from autograd_tutor.tui.screens.step import StepScreen

    return isinstance(screen, StepScreen | ExerciseScreen | ExperimentScreen)
