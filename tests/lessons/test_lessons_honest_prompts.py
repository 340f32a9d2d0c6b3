"""Over every bundled lesson: no prompt, field hint or example tells the learner a value, or
the kind of value, that its step asks for (issue: 'a.grad = ? (a number, or None)' appeared
only where the answer was None; an experiment's example was a right prediction)."""

from __future__ import annotations

import io
from collections import defaultdict

from autograd_tutor.grading import field_kind, placeholder
from autograd_tutor.lessons.leaks import find_form_hints
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.lessons.model import ExperimentStep
from autograd_tutor.plain.practice import experiment_instructions
from autograd_tutor.plain.tutor import PlainTutor

LESSONS, BROKEN = load_lessons()


def test_the_bundled_lessons_load() -> None:
    assert LESSONS and not BROKEN


def test_no_prompt_names_the_kind_of_its_answer() -> None:
    found = [leak.message() for lesson in LESSONS for leak in find_form_hints(lesson)]
    assert found == []


def plain_prompt(question) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    tutor = PlainTutor(None, None, io.StringIO("skip\n"), out)  # type: ignore[arg-type]
    tutor.ask(None, question)  # type: ignore[arg-type]
    return out.getvalue()


def test_questions_on_the_same_kind_of_expression_show_the_same_hint_whatever_the_answer() -> None:
    hints: dict[str, set[str]] = defaultdict(set)
    answer_kinds: dict[str, set[str]] = defaultdict(set)
    for lesson in LESSONS:
        for question in lesson.questions:
            kind = field_kind(question.expr)
            hint = placeholder(question.expr)
            hints[kind].add(hint)
            if question.expect is not None:
                answer_kinds[kind].add(question.expect.kind)
            prompt = plain_prompt(question)
            assert prompt.startswith(f"{question.prompt} ({hint}) "), prompt
            assert hint == placeholder(question.expr)  # nothing but the expression decides
    assert all(len(shown) == 1 for shown in hints.values()), hints
    # gradient questions have numbers, tensors and None as answers: the hint names all three
    assert {"number", "tensor", "none"} <= answer_kinds["gradient"]
    gradient_hint = hints["gradient"].pop()
    assert all(word in gradient_hint for word in ("number", "tensor", "None"))


def test_no_hint_or_prompt_states_an_answer_value() -> None:
    for lesson in LESSONS:
        for question in lesson.questions:
            expect = question.expect
            if expect is None or expect.kind in ("bool", "none"):
                continue  # True/False and None are words every bool or gradient hint names
            shown = expect.display()
            assert shown not in placeholder(question.expr), (lesson.id, question.id)


def test_experiment_examples_name_no_outcome() -> None:
    experiments = [
        s.experiment for lesson in LESSONS for s in lesson.steps if isinstance(s, ExperimentStep)
    ]
    assert len(experiments) >= 3
    for spec in experiments:
        text = experiment_instructions(spec).lower()
        example = text.split("'")[1]
        assert "=" in example
        for outcome in spec.outcomes:
            assert outcome.name.lower() not in text, (outcome.name, text)
