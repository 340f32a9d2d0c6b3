"""The report and parameterised lessons: every attempt is re-scored against its own variant
(an attempt without one, from before variants, against the default numbers), and an answer that
is wrong for the learner's numbers but right for another learner's variant in the folder is
flagged, per learner, per question and in the CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from progress_helpers import make_attempt

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.progress.records import new_document
from autograd_tutor.progress.report import build_report, render, write_csv
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


def test_the_value_of_another_variant_is_flagged(tmp_path: Path, lesson: Lesson) -> None:
    lab = tmp_path / "lab"
    write_results(lab, "ada", lesson, [("6", "wrong", {"a": 4})])  # bob's value
    write_results(lab, "bob", lesson, [("6", "right", {"a": 3})])
    write_results(lab, "cy", lesson, [("7", "wrong", {"a": 3})])  # wrong for everyone
    write_results(lab, "dee", lesson, [("10", "wrong", {"a": 4})])  # a=5's value: nobody had it
    report = build_report(lab, key=AnswerKey.from_lessons([lesson]))
    (flag,) = report.other_variant
    assert (flag.student, flag.typed, flag.own, flag.other, flag.holders) == (
        "ada",
        "6",
        "a=4",
        "a=3",
        ("bob", "cy"),
    )
    ada = next(t for t in report.learners if t.student == "ada")
    assert any("1 answer with the value of another variant" in note for note in ada.notes)
    assert not any(t.notes for t in report.learners if t.student != "ada")
    (question,) = report.questions
    assert question.other_variant == 1
    text = io.StringIO()
    render(report, text)
    assert "Answers that are the value of another variant" in text.getvalue()
    assert "ada: x.grad (square 1.1): typed 6, the value for a=3 (bob, cy)" in text.getvalue()
    assert "    ! 1 learner typed the value of another variant" in text.getvalue()
    table = io.StringIO()
    write_csv(report, table)
    header, row = list(csv.reader(io.StringIO(table.getvalue())))[:2]
    assert row[header.index("other_variant_answers")] == "1"


def test_the_own_variant_of_an_earlier_take_is_not_another_learners(
    tmp_path: Path, lesson: Lesson
) -> None:
    """A learner's retake answered with the value of their own first take is no copy."""
    lab = tmp_path / "lab"
    write_results(lab, "ada", lesson, [("6", "right", {"a": 3}), ("6", "wrong", {"a": 5})])
    write_results(lab, "bob", lesson, [("8", "right", {"a": 4})])
    report = build_report(lab, key=AnswerKey.from_lessons([lesson]))
    assert report.other_variant == []
    assert report.questions[0].other_variant == 0


def test_the_flag_is_the_same_when_worker_processes_read_the_folder(
    tmp_path: Path, lesson: Lesson
) -> None:
    lab = tmp_path / "lab"
    for n in range(6):
        write_results(lab, f"b{n}", lesson, [("6", "right", {"a": 3})])
    write_results(lab, "ada", lesson, [("6", "wrong", {"a": 4})])
    key = AnswerKey.from_lessons([lesson])
    one, two = build_report(lab, key=key, jobs=1), build_report(lab, key=key, jobs=2)
    assert [f.describe() for f in two.other_variant] == [f.describe() for f in one.other_variant]
    assert [f.student for f in two.other_variant] == ["ada"]
    assert two.questions[0].other_variant == 1


def test_without_the_lessons_nothing_is_flagged(tmp_path: Path, lesson: Lesson) -> None:
    lab = tmp_path / "lab"
    write_results(lab, "ada", lesson, [("6", "wrong", {"a": 4})])
    write_results(lab, "bob", lesson, [("6", "right", {"a": 3})])
    report = build_report(lab)
    assert report.other_variant == []
    assert report.questions[0].other_variant == 0
