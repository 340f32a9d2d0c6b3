"""The core's one table of what each kind of step means (no UI, no torch).

A step is a :class:`QuestionStep`, an :class:`ExerciseStep` or an :class:`ExperimentStep`
(lessons/model.py). Everything the runner needs to know per kind is decided here, by ``match``
with ``assert_never``: the code a later step replays, whether a step is practice (an exercise
or an experiment), and what "done" means for it (session/standing.py counts the attempts).
The UIs keep their own per-kind tables: ``tui/screens/step_kinds.py`` (which screen),
``plain/tutor.py`` (which prompt) and ``commands/check.py`` (how ``check`` tries it).
A new kind of step: a class in lessons/model.py, a branch here, a screen, a plain renderer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

from autograd_tutor.lessons.model import (
    ExerciseStep,
    ExperimentStep,
    QuestionStep,
    Step,
    assert_never,
)

PracticeStep = ExerciseStep | ExperimentStep
Kind = Literal["questions", "exercise", "experiment"]


def replay_code(step: Step) -> str:
    """The code that brings the namespace past ``step`` when a later step replays it: a
    question step's code; an exercise's setup then its reference solution (never the learner's
    code); an experiment's code with its knobs at their defaults."""
    match step:
        case QuestionStep():
            return step.code
        case ExerciseStep():
            return step.code + "\n" + step.exercise.solution
        case ExperimentStep():
            knobs = "".join(f"{k.name} = {k.default!r}\n" for k in step.experiment.knobs)
            return knobs + step.code
        case _:
            assert_never(step)


def practice_step(step: Step) -> PracticeStep | None:
    """The step when learner code runs in it (an exercise or an experiment), else None."""
    match step:
        case QuestionStep():
            return None
        case ExerciseStep() | ExperimentStep():
            return step
        case _:
            assert_never(step)


def kind_counts(steps: Iterable[Step]) -> Counter[Kind]:
    """How many steps of each kind (``list`` and ``check`` name the exercises and
    experiments of a lesson)."""
    return Counter(step.kind for step in steps)
