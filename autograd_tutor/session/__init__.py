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

from autograd_tutor.session.lesson import LessonSession, QuestionOutcome, StepOutcome
from autograd_tutor.session.summary import (
    LessonSummary,
    MissedQuestion,
    QuestionRecord,
    lesson_standing,
    summarize,
)

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
