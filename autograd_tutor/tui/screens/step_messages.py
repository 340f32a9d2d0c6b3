"""Messages of the step screens (question, exercise and experiment steps): losses streamed from
a run, a run that crashed inside the tutor, and a practice step done with (the app goes on)."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message

if TYPE_CHECKING:
    from autograd_tutor.session import LessonSession


class RunLoss(Message):
    """Losses of a running step, exercise or experiment (posted from the worker thread)."""

    def __init__(self, values: list[float]) -> None:
        super().__init__()
        self.values = values


class RunCrashed(Message):
    """A step, exercise or experiment run raised inside the tutor (posted from the worker
    thread): ``error`` is one line, ``detail`` the traceback."""

    def __init__(self, error: str, detail: str) -> None:
        super().__init__()
        self.error = error
        self.detail = detail

    @classmethod
    def of(cls, exc: BaseException) -> RunCrashed:
        return cls(f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc)))

    def text(self) -> Text:
        """The crash as the learner sees it: a bold heading, the error, the traceback dimmed."""
        return Text.assemble(
            ("Something went wrong inside the tutor\n", "bold"),
            self.error,
            "\n\n",
            (self.detail, "dim"),
        )


class StepDone(Message):
    """An exercise or experiment step is done with: the app goes on to the next step."""

    def __init__(self, session: LessonSession, position: int, order: Sequence[int]) -> None:
        super().__init__()
        self.session = session
        self.position = position
        self.order = list(order)
