"""The report and parameterised lessons: every attempt is re-scored against its own variant
(an attempt without one, from before variants, against the default numbers)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from progress_helpers import make_attempt

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.progress.records import new_document
from autograd_tutor.progress.report import build_report
from autograd_tutor.progress.rescore import AnswerKey

LESSON = """\
id: square
title: Square
params:
  a: {choice: [4, 3, 5]}
steps:
  - code: |
      x = torch.tensor({a}.0, requires_grad=True)
      (x ** 2).backward()
    ask:
      - expr: x.grad
        expect: 2 * a
"""


@pytest.fixture
def lesson(write_lesson: Callable[..., Path]) -> Lesson:
    return load_lesson(write_lesson(LESSON))


def write_results(folder: Path, student: str, lesson: Lesson, answers: list[Any]) -> Path:
    """A results file: ``answers`` are (typed, verdict, variant or None)."""
    attempts = []
    for typed, verdict, variant in answers:
        attempt = make_attempt(
            "square",
            "1.1",
            typed=typed,
            verdict=verdict,
            lesson_hash=lesson.content_hash,
        ).to_json()
        if variant is not None:
            attempt["variant"] = variant
        attempts.append(attempt)
    doc = new_document(student, "0.1.0")
    doc["lessons"] = {"square": {"attempts": attempts, "hash": lesson.content_hash}}
    folder.mkdir(exist_ok=True)
    path = folder / f"{student}.json"
    path.write_text(json.dumps(doc), "utf-8")
    return path


def test_each_attempt_is_scored_against_its_own_variant(tmp_path: Path, lesson: Lesson) -> None:
    lab = tmp_path / "lab"
    write_results(lab, "ada", lesson, [("8", "right", None)])  # old file: the default, a=4
    write_results(lab, "bob", lesson, [("6", "right", {"a": 3})])
    write_results(lab, "cy", lesson, [("8", "right", {"a": 5})])  # edited: 8 is a=4's value
    report = build_report(lab, key=AnswerKey.from_lessons([lesson]))
    by_name = {t.student: t for t in report.learners}
    assert (by_name["ada"].verified, by_name["ada"].disagree, by_name["ada"].credit) == (1, 0, 1)
    assert (by_name["bob"].verified, by_name["bob"].disagree, by_name["bob"].credit) == (1, 0, 1)
    assert (by_name["cy"].disagree, by_name["cy"].credit) == (1, 0)
    (question,) = report.questions
    assert (question.learners, question.first_right) == (3, 2)  # one row over all variants
