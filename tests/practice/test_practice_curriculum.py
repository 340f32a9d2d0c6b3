"""The curriculum's exercises and experiments, run in the torch worker: each knob choice of an
experiment leads to its own outcome (so every prediction is a real choice), and the typical
wrong solutions of an exercise fail the check that names their mistake. (That every reference
solution passes, every starter fails and every setting meets a rule is `check`'s job, tested
in tests/cli/test_cli_check.py and test_practice_check.py.)"""

from __future__ import annotations

import dataclasses

import pytest

from autograd_tutor.commands.check_practice import check_exercise
from autograd_tutor.lessons.bundled import bundled_lessons_dir
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import Lesson, Step
from autograd_tutor.session import LessonSession
from autograd_tutor.session.experiment import outcome_of
from autograd_tutor.session.learner_code import run_experiment_code

pytestmark = pytest.mark.slow


def _lesson(lesson_id: str) -> Lesson:
    return load_lesson(bundled_lessons_dir() / f"{lesson_id}.yaml")


def _step_with(lesson: Lesson, kind: str) -> Step:
    (step,) = [s for s in lesson.steps if s.kind == kind]
    return step


def _outcomes_by_choice(worker, lesson_id: str) -> dict[object, str | None]:
    lesson = _lesson(lesson_id)
    step = _step_with(lesson, "experiment")
    (knob,) = step.experiment.knobs
    found = {}
    session = LessonSession(lesson, worker)
    for choice in knob.choices:
        run = session.run_learner_code(
            step.index,
            lambda w, choice=choice: run_experiment_code(
                w, step, {knob.name: choice}, lesson=lesson, time_limit=lesson.time_limit
            ),
        )
        result = run.result
        assert run.ran and result.error is None, (lesson_id, choice)
        outcome, errors = outcome_of(step.experiment, result)
        assert errors == []
        found[choice] = outcome
    return found


def test_each_momentum_has_its_own_outcome(worker):
    assert _outcomes_by_choice(worker, "optimizer-sgd") == {
        0: "slides straight in",
        0.5: "overshoots and settles",
        0.9: "still swinging at the end",
    }


def test_each_learning_rate_of_the_small_network_has_its_own_outcome(worker):
    assert _outcomes_by_choice(worker, "small-mlp") == {
        0.005: "slow",
        0.05: "converges",
        0.2: "oscillates",
        0.5: "diverges",
    }


def _problems_with_solution(worker, lesson_id: str, code: str) -> list[str]:
    lesson = _lesson(lesson_id)
    step = _step_with(lesson, "exercise")
    exercise = dataclasses.replace(step.exercise, solution=code)
    changed = dataclasses.replace(step, exercise=exercise)
    steps = lesson.steps[: step.index] + (changed,) + lesson.steps[step.index + 1 :]
    return check_exercise(LessonSession(dataclasses.replace(lesson, steps=steps), worker), changed)


SGD_LOOP = """\
for step in range(20):
    loss = (w - 3) ** 2
    loss.backward()
{update}
"""


@pytest.mark.parametrize(
    ("update", "failing"),
    [
        ("    with torch.no_grad():\n        w -= lr * w.grad\n    w.grad.zero_()", []),
        ("    with torch.no_grad():\n        w += lr * w.grad\n    w.grad.zero_()", ["check 4"]),
        ("    with torch.no_grad():\n        w -= lr * w.grad", ["grads_zeroed", "check 4"]),
    ],
    ids=["right", "wrong-sign", "no-zeroing"],
)
def test_the_sgd_exercise_names_the_mistake(worker, update, failing):
    problems = _problems_with_solution(worker, "optimizer-sgd", SGD_LOOP.format(update=update))
    # each problem reads "<file>:<line>: <check id>: fails on the reference solution: ..."
    named = [p.split(": ")[1] for p in problems]
    assert named == failing
    assert all("fails on the reference solution" in p for p in problems)


def test_the_vector_jacobian_exercise_refuses_an_unweighted_sum(worker):
    code = "Q = 3 * a ** 3 - b ** 2\ntotal = Q.sum()\ntotal.backward()\n"
    problems = _problems_with_solution(worker, "vector-jacobian", code)
    assert len(problems) == 1 and "check 3: fails" in problems[0]
    assert "weight each element of Q by its element of v" in problems[0]
    summed = "Q = 3 * a ** 3 - b ** 2\n(v * Q).sum().backward()\ntotal = v * Q\n"
    problems = _problems_with_solution(worker, "vector-jacobian", summed)
    assert len(problems) == 1 and "check 2: fails" in problems[0]
