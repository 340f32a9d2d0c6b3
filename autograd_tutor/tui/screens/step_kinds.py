"""Which screen shows a step: questions (``StepScreen``), an exercise or an experiment (the
TUI's table of step kinds; the messages those screens post are in ``step_messages.py``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, QuestionStep, assert_never

if TYPE_CHECKING:
    from autograd_tutor.session import LessonSession
    from autograd_tutor.tui.screens.exercise import ExerciseScreen
    from autograd_tutor.tui.screens.experiment import ExperimentScreen
    from autograd_tutor.tui.screens.step import StepScreen


def screen_for_step(
    session: LessonSession,
    position: int,
    order: Sequence[int],
    *,
    asked: Collection[str] | None = None,
    asked_later: Mapping[int, Collection[str] | None] | None = None,
    cursor_blink: bool = True,
) -> StepScreen | ExerciseScreen | ExperimentScreen:
    """The screen for step ``position`` of ``session``'s lesson (``asked``: only these
    questions of a question step; ``asked_later``: the same for the steps after it)."""
    step = session.lesson.steps[position]
    match step:
        case ExerciseStep():
            from autograd_tutor.tui.screens.exercise import ExerciseScreen

            return ExerciseScreen(session, position, order)
        case ExperimentStep():
            from autograd_tutor.tui.screens.experiment import ExperimentScreen

            return ExperimentScreen(session, position, order)
        case QuestionStep():
            from autograd_tutor.tui.screens.step import StepScreen

            return StepScreen(
                session,
                position,
                order,
                asked=asked,
                asked_later=asked_later,
                cursor_blink=cursor_blink,
            )
        case _:
            assert_never(step)
