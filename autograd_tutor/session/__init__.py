"""One learner working through one lesson, every kind of step: no UI, no torch.

- ``lesson.py``: :class:`LessonSession`, the one object that owns the worker's namespace, the
  cursor (which steps ran), replay and the records; questions are committed through it and
  learner code (exercises, experiments) runs through :meth:`LessonSession.run_learner_code`.
- ``learner_code.py``: the one function per kind that sends learner code to the worker.
- ``exercise.py``, ``experiment.py``: the exercise and experiment handlers (what a run means,
  what is saved), over a :class:`LessonSession`.
- ``standing.py``: what "done" means for an exercise and an experiment step.
- ``summary.py``: :class:`LessonSummary` (first tries, missed questions, practice, finished).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from autograd_tutor.session.lesson import LessonSession
    from autograd_tutor.session.outcome import QuestionOutcome, StepOutcome
    from autograd_tutor.session.summary import (
        LessonSummary,
        MissedQuestion,
        QuestionRecord,
        lesson_standing,
        summarize,
    )

# Imported on first use (PEP 562): the picker reads standings (summary.py) without paying for
# the runner, the graph and the grading modules before the lessons are listed.
_HOME = {
    "LessonSession": "lesson",
    "QuestionOutcome": "outcome",
    "StepOutcome": "outcome",
    "LessonSummary": "summary",
    "MissedQuestion": "summary",
    "QuestionRecord": "summary",
    "lesson_standing": "summary",
    "summarize": "summary",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)


__all__ = [
    "LessonSession",
    "LessonSummary",
    "MissedQuestion",
    "QuestionOutcome",
    "QuestionRecord",
    "StepOutcome",
    "lesson_standing",
    "summarize",
]
