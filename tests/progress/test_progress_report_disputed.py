"""``report`` on answers given while a lesson's ``expect`` disagreed with torch: the learner
was scored against torch, and the report blames the lesson ("the lesson's expect disagrees
with torch: run check") in the learner's notes, under the question and in the CSV, never as a
verdict edited by hand. A results file edited to claim such a disagreement gains nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fake_worker import FakeWorker

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.progress import ProgressStore
from autograd_tutor.progress.report import build_report, report_lines, write_csv
from autograd_tutor.progress.rescore import AnswerKey
from autograd_tutor.session import LessonSession
from autograd_tutor.values import Value

LESSON = """\
id: softmax-typo
title: A softmax whose expect has a typo
steps:
  - code: z = 1
    ask:
      - expr: z.grad
        expect: [0.25, 0.5, 0.625]
      - expr: y
        expect: 2
"""
TORCH = {"z.grad": Value.tensor([0.25, 0.5, -0.375]), "y": Value.number(2)}
BLAME = "the lesson's expect disagrees with torch: run check"


def _take(lesson, tmp_path, name: str, answers: dict[str, str]) -> None:
    store = ProgressStore(tmp_path / "data" / name, name, tmp_path / "results")
    LessonSession(lesson, FakeWorker(TORCH), store).commit(0, answers)


def test_a_disputed_answer_is_the_lessons_fault_in_the_report_and_the_csv(
    write_lesson, tmp_path
) -> None:
    lesson = load_lesson(write_lesson(LESSON))
    _take(lesson, tmp_path, "ada", {"1.1": "[0.25, 0.5, -0.375]", "1.2": "2"})  # torch's value
    _take(lesson, tmp_path, "bo", {"1.1": "[0.25, 0.5, 0.625]", "1.2": "3"})  # the typo's
    report = build_report(tmp_path / "results", key=AnswerKey.from_lessons([lesson]))

    ada, bo = report.learners
    assert (ada.expect_disputed, bo.expect_disputed) == (1, 1)
    assert ada.disagree == 0 and bo.disagree == 0  # never "edited by hand?"
    assert ada.verified == 1 and bo.verified == 1  # 1.2 only: 1.1 cannot be scored against it
    assert ada.credit == 2.0  # right against torch, counted for the learner
    assert bo.credit == pytest.approx(2 / 3)  # 2 of 3 elements are torch's: torch decides
    assert ada.notes == (f"1 answer scored against torch: {BLAME} (softmax-typo 1.1)",)
    grad = next(q for q in report.questions if q.question_id == "1.1")
    y = next(q for q in report.questions if q.question_id == "1.2")
    assert (grad.expect_disputed, y.expect_disputed) == (2, 0)

    lines = [line for line, _style in report_lines(report, 80)]
    words = " ".join(" ".join(lines).split())  # the wrapped lines, read as one text
    assert "edited by hand" not in words
    grad_row = words.index("softmax-typo 1.1 z.grad")
    y_row = words.index("softmax-typo 1.2 y")
    under = words.index(f"! {BLAME} (2 answers scored against torch)")
    assert grad_row < under < y_row  # under its own question

    out = io.StringIO()
    write_csv(report, out)
    rows = {r["question_id"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows["1.1"]["expect_disputed"], rows["1.1"]["expect_note"]) == ("2", BLAME)
    assert (rows["1.2"]["expect_disputed"], rows["1.2"]["expect_note"]) == ("0", "")


def test_a_forged_disagreement_is_scored_again_and_flagged(write_lesson, tmp_path) -> None:
    """A learner who edits their file to claim the expect disagreed (the stored torch value
    equals the expect) is re-scored as usual: "edited by hand?", and nothing blames the lesson."""
    lesson = load_lesson(write_lesson(LESSON))
    honest = {"z.grad": Value.tensor([0.25, 0.5, 0.625]), "y": Value.number(2)}
    store = ProgressStore(tmp_path / "data" / "cy", "cy", tmp_path / "results")
    LessonSession(lesson, FakeWorker(honest), store).commit(0, {"1.1": "[0, 0, 0]"})
    path = next((tmp_path / "results").glob("*.json"))
    doc = json.loads(path.read_text())
    attempt = doc["lessons"]["softmax-typo"]["attempts"][0]
    attempt.update(expect_disagrees="forged", verdict="right", credit=1.0)
    path.write_text(json.dumps(doc))

    report = build_report(tmp_path / "results", key=AnswerKey.from_lessons([lesson]))
    (cy,) = report.learners
    assert cy.expect_disputed == 0 and cy.disagree == 1 and cy.credit == 0.0
    assert any(note.startswith("edited by hand?") for note in cy.notes)
    assert BLAME not in "\n".join(line for line, _ in report_lines(report, 80))
