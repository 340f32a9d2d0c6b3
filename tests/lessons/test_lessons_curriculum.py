"""The bundled curriculum (the seed lessons, then the issue-13 lessons): it loads, its ids are
unique, its ``order`` is a strict sequence, every question is complete and every lesson has a
known wrong answer; the text a learner reads before a step runs never states a value the step
asks for; and what the app renders as Markdown reads as written. Whether torch agrees with
each ``expect`` (and differs from each known wrong answer) is verified by ``autograd-tutor
check`` (tests/cli/test_cli_check.py)."""

from __future__ import annotations

import re

import pytest
from lessons_helpers import BUNDLED_IDS, CURRICULUM_IDS, SEED_IDS

from autograd_tutor.lessons.leaks import find_leaks
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, Lesson

NUMBERED_ITEM = re.compile(r"\s*\d+\.(\s|$)")


@pytest.fixture(scope="module")
def bundled() -> list[Lesson]:
    lessons, broken = load_lessons()
    assert broken == []
    return lessons


@pytest.fixture(scope="module")
def curriculum(bundled: list[Lesson]) -> list[Lesson]:
    return [lesson for lesson in bundled if lesson.id in CURRICULUM_IDS]


def test_the_curriculum_loads_in_order_after_the_seed_lessons(bundled):
    ids = [lesson.id for lesson in bundled]
    assert ids == BUNDLED_IDS
    assert len(set(ids)) == len(ids)
    assert len(CURRICULUM_IDS) >= 10
    orders = [lesson.order for lesson in bundled]
    assert orders == list(range(1, len(bundled) + 1))
    first_new = len(SEED_IDS) + 1
    assert [lesson.order for lesson in bundled if lesson.id in CURRICULUM_IDS][0] == first_new


def test_every_lesson_says_what_it_teaches_and_how_long_it_takes(bundled):
    for lesson in bundled:
        assert lesson.title and lesson.summary and lesson.attribution, lesson.id
        assert lesson.minutes is not None and 1 <= lesson.minutes <= 30, lesson.id
        assert lesson.path.name == f"{lesson.id}.yaml"


def test_every_question_is_complete_and_every_lesson_names_a_misconception(curriculum):
    for lesson in curriculum:
        assert any(q.wrong for q in lesson.questions), lesson.id
        for q in lesson.questions:
            where = f"{lesson.id} {q.id}"
            assert q.has_expect, where
            assert q.hints and q.explain.strip(), where
            expect = q.expect
            for wrong in q.wrong:
                assert wrong.answer != expect, where
                assert len(wrong.says) > 20, where


@pytest.mark.parametrize("lesson_id", CURRICULUM_IDS)
def test_no_text_before_the_run_states_an_answer_of_the_step(bundled, lesson_id):
    # The shared rule (lessons/leaks.py, also run by `check`): title, explanation, code
    # comments, prompts and first hints give the rule and the setting, never the answer.
    (lesson,) = [lesson for lesson in bundled if lesson.id == lesson_id]
    assert find_leaks(lesson) == []


@pytest.mark.parametrize("lesson_id", CURRICULUM_IDS)
def test_no_line_of_text_reads_as_a_numbered_list_item(bundled, lesson_id):
    (lesson,) = [lesson for lesson in bundled if lesson.id == lesson_id]
    for step in lesson.steps:
        texts = [step.explain]
        for q in step.questions:
            texts += [q.explain, *q.hints, *(wrong.says for wrong in q.wrong)]
        for text in texts:
            for line in text.splitlines():
                assert not NUMBERED_ITEM.match(line), f"{lesson.id}: {line!r}"


def test_text_and_code_fit_80_columns(curriculum):
    for lesson in curriculum:
        for step in lesson.steps:
            for line in step.explain.splitlines() + step.code.splitlines():
                assert len(line) <= 76, f"{lesson.id} step {step.index + 1}: {line}"
            for q in step.questions:
                for line in q.explain.splitlines():
                    assert len(line) <= 76, f"{lesson.id} {q.id}: {line}"


def test_tensors_stay_small(curriculum):
    for lesson in curriculum:
        for q in lesson.questions:
            expect = q.expect
            if expect.kind == "tensor":
                assert expect.numel <= 9, f"{lesson.id} {q.id}"


INTENDED_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,2})[^\s*][^*\n]*?\1(?![\w*])")


@pytest.mark.parametrize("lesson_id", CURRICULUM_IDS)
def test_arithmetic_is_not_eaten_by_markdown(bundled, lesson_id):
    # The app renders explanations, hints and messages as Markdown: `1*3 + 2*1` would show as
    # "13 + 21" with the middle in italics. Only deliberate *emphasis* and **bold** may render.
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark")
    (lesson,) = [lesson for lesson in bundled if lesson.id == lesson_id]
    for step in lesson.steps:
        texts = [step.explain]
        for q in step.questions:
            texts += [q.explain, *q.hints, *(wrong.says for wrong in q.wrong)]
        for text in texts:
            html = markdown.render(text)
            rendered = html.count("<em>") + html.count("<strong>")
            assert rendered == len(INTENDED_EMPHASIS.findall(text)), f"{lesson.id}: {text!r}"


def test_the_emphasis_check_tells_arithmetic_from_emphasis():
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render("1*3 + 2*1 = 5")
    assert "<em>" in html and not INTENDED_EMPHASIS.findall("1*3 + 2*1 = 5")
    assert len(INTENDED_EMPHASIS.findall("a **mean** and *before* it")) == 2


def test_step_headings_fit_80_columns(curriculum):
    # The step screen's heading is "<lesson title> · step N of M · <step title>" on one line;
    # an exercise's and an experiment's heading names the kind before the step title.
    for lesson in curriculum:
        for step in lesson.steps:
            kind = "" if step.kind == "questions" else f" · {step.kind}"
            heading = (
                f"{lesson.title} · step {step.index + 1} of {len(lesson.steps)}{kind}"
                f" · {step.title}"
            )
            assert len(heading) <= 78, heading


def test_the_curriculum_has_learners_write_code_turn_knobs_and_watch_the_graph(curriculum):
    by_id = {lesson.id: lesson for lesson in curriculum}
    exercises = {lesson.id for lesson in curriculum for s in lesson.steps if s.kind == "exercise"}
    experiments = {
        lesson.id for lesson in curriculum for s in lesson.steps if s.kind == "experiment"
    }
    graph_open = {lesson.id for lesson in curriculum for s in lesson.steps if s.graph_open}
    assert {"optimizer-sgd", "vector-jacobian"} <= exercises
    assert {"optimizer-sgd", "small-mlp"} <= experiments
    assert {"broadcast-bias", "sum-vs-mean", "nonlinearities"} <= graph_open
    # the SGD exercise is checked against torch.optim.SGD, and momentum is the knob
    sgd = by_id["optimizer-sgd"]
    (exercise_step,) = [s for s in sgd.steps if isinstance(s, ExerciseStep)]
    assert "torch.optim.SGD" in exercise_step.code and "torch.no_grad()" in (
        exercise_step.exercise.solution
    )
    assert "with torch.no_grad()" not in exercise_step.exercise.starter
    (experiment_step,) = [s for s in sgd.steps if isinstance(s, ExperimentStep)]
    (knob,) = experiment_step.experiment.knobs
    assert (knob.name, knob.choices) == ("momentum", (0, 0.5, 0.9))
    # the graph opens on the step where the bias is broadcast over the rows
    (broadcast,) = [s for s in by_id["broadcast-bias"].steps if s.graph_open]
    assert "X + b" in broadcast.code and any(q.expr == "b.grad" for q in broadcast.questions)


def test_exercise_and_experiment_text_fits_80_columns(curriculum):
    for lesson in curriculum:
        for step in lesson.steps:
            lines = []
            if isinstance(step, ExerciseStep):
                lines += step.exercise.starter.splitlines() + step.exercise.solution.splitlines()
            if isinstance(step, ExperimentStep):
                # the prediction choices are one line: "1 name  2 name  ..."
                choices = "  ".join(
                    f"{n} {o.name}" for n, o in enumerate(step.experiment.outcomes, start=1)
                )
                assert len(choices) <= 78, f"{lesson.id}: {choices}"
                for outcome in step.experiment.outcomes:
                    # shown under the plot in three lines of 78 columns
                    assert len(outcome.explain) <= 3 * 70, f"{lesson.id}: {outcome.name}"
            for line in lines:
                assert len(line) <= 76, f"{lesson.id} step {step.index + 1}: {line}"
