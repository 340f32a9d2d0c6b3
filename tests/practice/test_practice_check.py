"""`check` on exercises and experiments: the reference solution must pass every check, the
starter code must fail one, and every knob setting must run and meet some outcome rule."""

from __future__ import annotations

import textwrap

from practice_helpers import LOOP_LESSON

from autograd_tutor.commands.check import check_lesson
from autograd_tutor.lessons.loader import load_lesson

EXPERIMENT_LESSON = textwrap.dedent(
    """\
    id: knobs
    title: Knobs
    steps:
      - code: |
          x = torch.tensor([1.0, 2.0])
      - code: |
          w = torch.tensor(0.0, requires_grad=True)
          for i in range(steps):
              loss = ((w * x - 2 * x) ** 2).mean()
              loss.backward()
              with torch.no_grad():
                  w -= lr * w.grad
                  w.grad.zero_()
        experiment:
          knobs:
            lr: [0.01, 0.1, 2.0]
            steps: 5..50
          outcomes:
            - {name: diverges, when: "losses[-1] > losses[0]"}
            - {name: converges, when: "losses[-1] < 0.01"}
            - {name: slow, when: "True"}
    """
)


def test_a_starter_that_already_passes_is_an_authoring_error(worker, write_lesson):
    solution = LOOP_LESSON.split("solution: |\n")[1].split("      checks:")[0]
    text = LOOP_LESSON.split("starter: |\n")[0] + "starter: |\n" + solution + "      solution: |\n"
    text += solution + "      checks:" + LOOP_LESSON.split("      checks:")[1]
    report = check_lesson(load_lesson(write_lesson(text)), worker)
    assert len(report.problems) == 1
    assert "the starter code already passes every check" in report.problems[0]


def test_a_check_the_solution_fails_is_reported_with_its_line(worker, write_lesson):
    text = LOOP_LESSON.replace("abs(w.item() - 2) < 0.1", "abs(w.item() - 3) < 0.1")
    lesson = load_lesson(write_lesson(text))
    report = check_lesson(lesson, worker)
    check = lesson.steps[1].exercise.checks[4]
    # the expression and the value it read, then the words written for learners
    assert report.problems == [
        f"{lesson.path}:{check.line}: check 5: fails on the reference solution: "
        f"abs(w.item() - 3) < 0.1 is false (w.item() = 2); says: {check.says}"
    ]


def test_a_solution_that_raises_names_its_line_in_the_file(worker, write_lesson):
    text = LOOP_LESSON.replace("pred = w * x + b\n", "pred = w * q + b\n")
    lesson = load_lesson(write_lesson(text))
    report = check_lesson(lesson, worker)
    line = lesson.steps[1].exercise.solution_line + 1
    assert report.problems == [
        f"{lesson.path}:{line}: step 2: the reference solution raised NameError (line 2): "
        "name 'q' is not defined"
    ]


def test_every_knob_setting_runs_and_meets_an_outcome(worker, write_lesson):
    lesson = load_lesson(write_lesson(EXPERIMENT_LESSON))
    assert check_lesson(lesson, worker).problems == []


def test_a_setting_where_no_rule_holds_or_a_rule_raises_is_reported(worker, write_lesson):
    text = EXPERIMENT_LESSON.replace(
        '- {name: slow, when: "True"}', '- {name: slow, when: "losses[999] > 0"}'
    )
    report = check_lesson(load_lesson(write_lesson(text)), worker)
    assert report.problems  # lr=0.01 for 5 steps neither diverges nor converges
    per_setting = [p for p in report.problems if " with lr=" in p]
    assert per_setting
    assert all("rule 'slow' (checking it raised IndexError" in p for p in per_setting)
    assert any("with lr=0.01 steps=5" in p for p in per_setting)
    # and since its rule never holds, no setting reaches 'slow'
    assert any("no knob setting gives the outcome 'slow'" in p for p in report.problems)


def test_a_setting_that_matches_no_outcome_is_reported(worker, write_lesson):
    text = EXPERIMENT_LESSON.replace(
        '- {name: slow, when: "True"}', '- {name: slow, when: "False"}'
    )
    report = check_lesson(load_lesson(write_lesson(text)), worker)
    assert any(
        "step 2 with lr=0.01 steps=5: no outcome rule holds" in problem
        for problem in report.problems
    )
