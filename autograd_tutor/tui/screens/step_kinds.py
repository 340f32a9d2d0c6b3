"""Which screen shows a step: questions (``StepScreen``), an exercise or an experiment."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from autograd_tutor.session import LessonSession
    from autograd_tutor.tui.screens.exercise import ExerciseScreen
    from autograd_tutor.tui.screens.experiment import ExperimentScreen
    from autograd_tutor.tui.screens.step import StepScreen


class StepDone(Message):
    """An exercise or experiment step is done with: the app goes on to the next step."""

    def __init__(self, session: LessonSession, position: int, order: Sequence[int]) -> None:
        super().__init__()
        self.session = session
        self.position = position
        self.order = list(order)


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
    if step.exercise is not None:
        from autograd_tutor.tui.screens.exercise import ExerciseScreen

        return ExerciseScreen(session, position, order)
    if step.experiment is not None:
        from autograd_tutor.tui.screens.experiment import ExperimentScreen

        return ExperimentScreen(session, position, order)
    from autograd_tutor.tui.screens.step import StepScreen

    return StepScreen(
        session, position, order, asked=asked, asked_later=asked_later, cursor_blink=cursor_blink
    )
