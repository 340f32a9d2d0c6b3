"""Reading exercise and experiment steps: what they hold, and the precise errors for what is
wrong in them (file:line:col, the field, and what to do)."""

from __future__ import annotations

import pytest
from practice_helpers import LOOP_LESSON

from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import ExerciseStep
from autograd_tutor.session.kinds import replay_code

EXPERIMENT = """\
id: knobs
title: Knobs
steps:
  - code: |
      w = torch.tensor(0.0, requires_grad=True)
    experiment:
      knobs:
        lr: [0.01, 0.5]
        steps: 10..500
        zero_grad: [true, false]
      outcomes:
        - {name: diverges, when: "losses[-1] > losses[0]", explain: Too big a step.}
        - {name: slow, when: "True"}
"""


def test_an_exercise_step_holds_starter_solution_and_checks(write_lesson):
    lesson = load_lesson(write_lesson(LOOP_LESSON))
    step = lesson.steps[1]
    assert isinstance(step, ExerciseStep) and step.questions == ()
    exercise = step.exercise
    assert "# TODO" in exercise.starter and "loss.backward()" in exercise.solution
    assert [c.id for c in exercise.checks] == [
        "backward_called",
        "update_not_recorded",
        "grads_zeroed",
        "loss_decreased",
        "check 5",
    ]
    assert exercise.checks[2].says == "gradients were never zeroed"
    assert exercise.checks[4].expr == "abs(w.item() - 2) < 0.1"
    # later steps replay the setup and the reference solution
    assert replay_code(step) == step.code + "\n" + exercise.solution


def test_an_experiment_step_holds_knobs_and_outcomes(write_lesson):
    lesson = load_lesson(write_lesson(EXPERIMENT))
    experiment = lesson.steps[0].experiment
    assert experiment is not None
    lr, steps, zero_grad = experiment.knobs
    assert (lr.choices, lr.default) == ((0.01, 0.5), 0.01)
    assert (steps.is_range, steps.low, steps.high, steps.samples()) == (True, 10, 500, (10, 500))
    assert zero_grad.accepts(False) and not zero_grad.accepts(0) and not steps.accepts(501)
    assert [o.name for o in experiment.outcomes] == ["diverges", "slow"]
    assert experiment.prompt == "What will this run do?"
    assert replay_code(lesson.steps[0]).startswith("lr = 0.01\nsteps = 10\nzero_grad = True\n")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "- builtin: grads_zeroed",
            "- builtin: grad_zeroed",
            "steps[1].exercise.checks[2].builtin: unknown built-in check 'grad_zeroed' "
            "(did you mean 'grads_zeroed'?)",
        ),
        (
            'says: "w did not reach 2',
            'sayz: "w did not reach 2',
            "unknown key 'sayz' (did you mean 'says'?)",
        ),
        (
            "- builtin: backward_called",
            "- {builtin: backward_called, expr: x}",
            "a check has either 'builtin' or 'expr' (not both)",
        ),
        (
            "- builtin: loss_decreased",
            "- expr: loss.item() < 1",
            "an 'expr' check needs 'says': the message shown when it fails",
        ),
        (
            "- builtin: loss_decreased",
            "- builtin: backward_called",
            "'backward_called' is listed twice",
        ),
        (
            "    train: {}\n",
            "    train: {}\n    ask: [{expr: w}]\n",
            "a step with 'exercise' cannot have 'ask'",
        ),
        (
            "pred = w * x + b\n",
            "pred = w * x +\n",
            "Python syntax error",
        ),
    ],
)
def test_exercise_errors_say_where_and_what(write_lesson, old, new, message):
    text = LOOP_LESSON.replace(old, new)
    assert text != LOOP_LESSON
    with pytest.raises(LessonError) as err:
        load_lesson(write_lesson(text))
    assert message in str(err.value)
    assert err.value.line is not None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("steps: 10..500", "steps: 500..10", "the range 500..10 is empty (low > high)"),
        ("steps: 10..500", "steps: many", "expected a list of choices or a whole-number range"),
        ("lr: [0.01, 0.5]", "lr: [0.01, 0.01]", "the choice 0.01 is given twice"),
        ("lr: [0.01, 0.5]", "2lr: [0.01, 0.5]", "a knob name must be a Python name"),
        ('        - {name: slow, when: "True"}\n', "", "at least two outcomes"),
        ('when: "True"', 'when: "True +"', "not a valid Python expression"),
        (
            "  - code: |\n      w = torch.tensor(0.0, requires_grad=True)\n",
            "  - title: t\n",
            "an experiment step needs 'code'",
        ),
    ],
)
def test_experiment_errors_say_where_and_what(write_lesson, old, new, message):
    text = EXPERIMENT.replace(old, new)
    assert text != EXPERIMENT
    with pytest.raises(LessonError) as err:
        load_lesson(write_lesson(text))
    assert message in str(err.value)


def test_a_step_of_two_kinds_is_refused_at_its_file_and_line(write_lesson):
    """A step is exactly one kind: an exercise that is also an experiment is a load error
    naming the file, the line of the second kind and the field."""
    text = LOOP_LESSON.replace(
        "    train: {}\n",
        "    train: {}\n    experiment:\n      prompt: which?\n"
        "      knobs: []\n      outcomes: []\n",
    )
    assert text != LOOP_LESSON
    path = write_lesson(text)
    with pytest.raises(LessonError) as err:
        load_lesson(path)
    assert "a step with 'exercise' cannot have 'experiment'" in str(err.value)
    assert str(err.value).startswith(f"{path}:{err.value.line}:")
    assert err.value.field == "steps[1].experiment"
