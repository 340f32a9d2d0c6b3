"""Authoring options of exercises and experiments: a check's label, an experiment that asks
for every knob value before moving on (try_all; the step list waits for them too), and the
order outcomes are offered in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fake_worker import FakeWorker

from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.presentation import untried_text
from autograd_tutor.progress import ProgressStore
from autograd_tutor.session import LessonSession
from autograd_tutor.session.experiment import ExperimentSession
from autograd_tutor.session.step_list import StepEntry, step_entries
from autograd_tutor.session.summary import lesson_standing

LESSON = """\
id: options
title: Options
steps:
  - code: |
      w = 0
    exercise:
      starter: "pass"
      solution: "w = 3"
      checks:
        - expr: abs(w - 3) < 1e-3
          label: w reaches 3
          says: w did not reach 3
        - expr: w > 0
          says: w stayed at 0
  - code: |
      loss = lr
    experiment:
      try_all: true
      knobs:
        lr: [0.1, 0.5]
        zero: [true, false]
      show: [slow, diverges]
      outcomes:
        - {name: diverges, when: "False"}
        - {name: converges, when: "False"}
        - {name: slow, when: "True"}
"""


def test_a_label_names_an_expr_check_in_place_of_its_python(write_lesson) -> None:
    lesson = load_lesson(write_lesson(LESSON))
    exercise = lesson.steps[0].exercise
    assert exercise is not None
    assert [c.title for c in exercise.checks] == ["w reaches 3", "w > 0"]


def test_outcomes_are_offered_in_the_show_order_and_every_value_must_be_tried(
    write_lesson,
) -> None:
    lesson = load_lesson(write_lesson(LESSON))
    session = LessonSession(lesson, FakeWorker())
    experiment = ExperimentSession(session, 1)
    assert experiment.outcome_names() == ["slow", "diverges", "converges"]
    assert [o.name for o in experiment.experiment.outcomes][0] == "diverges"  # rules keep order
    assert experiment.untried() == ["lr=0.1", "lr=0.5", "zero=True", "zero=False"]
    experiment.run({"lr": 0.1, "zero": True}, "slow")
    assert experiment.untried() == ["lr=0.5", "zero=False"]
    assert "still to run: lr=0.5, zero=False" in untried_text(experiment.untried())
    experiment.run({"lr": 0.5, "zero": False}, None)
    assert experiment.untried() == []


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("show: [slow, diverges]", "show: [slow, explodes]", "no outcome 'explodes'"),
        ("show: [slow, diverges]", "show: [slow, slow]", "listed twice"),
        ("try_all: true", "try_all: 3", "expected true or false"),
    ],
)
def test_bad_options_are_refused_where_they_are(
    write_lesson: Callable[..., Path], old: str, new: str, problem: str
) -> None:
    with pytest.raises(LessonError) as info:
        load_lesson(write_lesson(LESSON.replace(old, new)))
    assert problem in str(info.value)


def test_the_step_list_locks_what_follows_until_every_value_was_run(
    write_lesson: Callable[..., Path], store: ProgressStore
) -> None:
    """The step list asks the experiment's own rule (``try_all``): the step after it opens once
    every knob value was run, and the experiment is done only then."""
    text = LESSON + "  - code: |\n      z = 2 * w\n    ask:\n      - expr: z\n        expect: 6\n"
    lesson = load_lesson(write_lesson(text))
    session = LessonSession(lesson, FakeWorker(), store)
    experiment = ExperimentSession(session, 1)

    def entries() -> list[StepEntry]:
        return list(step_entries(lesson_standing(lesson, store)))

    assert [e.open for e in entries()] == [True, True, False]
    assert entries()[2].lock == "run every setting of step 2 first"
    experiment.run({"lr": 0.1, "zero": True}, "slow")
    after_one = entries()
    assert not after_one[2].open and not after_one[1].done
    experiment.run({"lr": 0.5, "zero": False}, None)
    assert experiment.untried() == []
    every = entries()
    assert every[2].open and every[1].done and every[2].lock == ""
