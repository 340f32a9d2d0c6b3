"""Which screen shows a step: questions (``StepScreen``), an exercise or an experiment."""

from __future__ import annotations

import traceback
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from autograd_tutor.session import LessonSession
    from autograd_tutor.tui.screens.exercise import ExerciseScreen
    from autograd_tutor.tui.screens.experiment import ExperimentScreen
    from autograd_tutor.tui.screens.step import StepScreen


class RunLoss(Message):
    """Losses of a running exercise or experiment (posted from the worker thread)."""

    def __init__(self, values: list[float]) -> None:
        super().__init__()
        self.values = values


class RunCrashed(Message):
    """An exercise or experiment run raised inside the tutor (posted from the worker
    thread): ``error`` is one line, ``detail`` the traceback."""

    def __init__(self, error: str, detail: str) -> None:
        super().__init__()
        self.error = error
        self.detail = detail

    @classmethod
    def of(cls, exc: BaseException) -> RunCrashed:
        return cls(f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc)))


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
