"""The gradebook: one row per learner, a group of columns per lesson (score, finished,
exercises passed), as CSV (``report --gradebook FILE``) and as a grid in the text report when
it fits the width.

A lesson's score is the credit of its questions' latest counted attempts over all of its
questions (the teacher's lesson says how many; without the lessons, over those answered).
Finished: every question answered, every exercise passed (or its solution shown) and every
experiment run, as :func:`autograd_tutor.practice_progress.lesson_finished` decides for the
learner's own summary; unknown ("") without the teacher's lessons. Exercises passed: the
exercise steps whose saved code passed every check on the learner's machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from autograd_tutor.presentation import aligned_table, percent
from autograd_tutor.progress.csv_cells import csv_text
from autograd_tutor.progress.report.model import LearnerTotals, LessonResult, Report
from autograd_tutor.progress.rescore import LessonShape
from autograd_tutor.safe_text import printable, visible_name


@dataclass(frozen=True)
class GradebookCell:
    share: float  # the lesson's score, 0..1
    finished: bool | None  # None: not known (no teacher's lessons)
    exercises_passed: int
    exercises: int | None  # exercise steps in the lesson (None: not known)


def gradebook_lessons(report: Report) -> list[str]:
    """The lessons somebody tried: the teacher's lessons in their order, then any others."""
    tried = {r.lesson_id for t in report.learners for r in t.lesson_results}
    ordered = [lesson_id for lesson_id in report.shapes if lesson_id in tried]
    return ordered + sorted(tried - set(ordered))


def _cell(result: LessonResult | None, shape: LessonShape | None) -> GradebookCell:
    answered = result.answered if result else 0
    credit = result.credit if result else 0.0
    passed = len(result.exercises_passed) if result else 0
    if shape is None:
        share = credit / answered if answered else 0.0
        return GradebookCell(share, None, passed, None)
    questions = len(shape.questions)
    practice = len(shape.exercises) + len(shape.experiments)
    done = len(result.practice_done) if result else 0
    finished = answered >= questions and done >= practice and (answered or done) > 0
    share = credit / questions if questions else (1.0 if finished else 0.0)
    return GradebookCell(share, finished, passed, len(shape.exercises))


def gradebook_cells(report: Report, learner: LearnerTotals) -> list[GradebookCell]:
    """One learner's cells, one per :func:`gradebook_lessons` lesson."""
    mine = {r.lesson_id: r for r in learner.lesson_results}
    return [
        _cell(mine.get(lesson_id), report.shapes.get(lesson_id))
        for lesson_id in gradebook_lessons(report)
    ]


def _finished_word(finished: bool | None) -> str:
    return "" if finished is None else ("yes" if finished else "no")


def gradebook_csv(report: Report) -> str:
    """The gradebook as CSV: ``student, file``, then per lesson ``<lesson> score %``,
    ``<lesson> finished`` (yes/no), ``<lesson> exercises passed``."""
    lessons = gradebook_lessons(report)
    header = ["student", "file"]
    for lesson_id in lessons:
        name = printable(lesson_id)
        header += [f"{name} score %", f"{name} finished", f"{name} exercises passed"]
    rows = []
    for t in report.learners:
        row: list[object] = [visible_name(t.student), printable(t.path.name)]
        for cell in gradebook_cells(report, t):
            row += [round(100 * cell.share), _finished_word(cell.finished), cell.exercises_passed]
        rows.append(row)
    return csv_text(header, rows)


def write_gradebook(report: Report, out: TextIO) -> None:
    out.write(gradebook_csv(report))


def _grid_cell(cell: GradebookCell) -> str:
    text = percent(cell.share)
    if cell.finished:
        text += " done"
    if cell.exercises:
        text += f" {cell.exercises_passed}/{cell.exercises}ex"
    return text


def gradebook_lines(report: Report, width: int) -> list[str] | None:
    """The gradebook as an aligned grid (learner x lesson: score, ``done`` when finished,
    exercises passed ``1/2ex``), None when it is wider than ``width``."""
    lessons = gradebook_lessons(report)
    if not lessons or not report.learners:
        return []
    headers = ["Learner", *(printable(lesson_id) for lesson_id in lessons)]
    rows = [
        [visible_name(t.student), *(_grid_cell(c) for c in gradebook_cells(report, t))]
        for t in report.learners
    ]
    lines = aligned_table(headers, rows, set(range(1, len(headers))))
    return lines if max(map(len, lines)) <= width else None
