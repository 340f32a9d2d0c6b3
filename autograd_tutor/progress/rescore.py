"""Scores a teacher can trust: each stored attempt checked against the teacher's lessons and
scored again from what was typed.

:class:`AnswerKey` also holds the shape of each of the teacher's lessons (its version hash, its
questions with their expressions, its exercise and experiment steps): :meth:`AnswerKey.mismatch`
says why an attempt does not belong to them (a lesson they do not have, another version, a
question id they do not have, another expression), and such an attempt is never counted.

A results file is written by the learner's machine, so its verdicts and credits could have been
edited by hand. :class:`AnswerKey` holds, for every question whose lesson gives an ``expect``,
the value the app scores against (``check`` verifies ``expect`` against torch), and
:meth:`AnswerKey.rescore` scores a stored attempt's typed text again with the app's own parser
and scorer, no torch needed. An attempt is verifiable only when the key knows its question and
the attempt was given to the same version of the lesson (same lesson hash); otherwise its
stored verdict stands, shown as unverified.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from autograd_tutor.grading import AnswerSyntaxError, parse_prediction, score
from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, Lesson
from autograd_tutor.progress.records import Attempt
from autograd_tutor.values import Value

CREDIT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class KeyEntry:
    """What the app scores one question against."""

    lesson_hash: str
    expect: Value
    tolerance: float | None
    expr: str = ""  # the question's expression: it decides what its field takes


@dataclass(frozen=True)
class LessonShape:
    """What a teacher's lesson holds, for checking what a results file claims about it."""

    lesson_hash: str
    questions: dict[str, str]  # question id -> expr
    exercises: frozenset[int] = frozenset()  # step indexes of the exercise steps
    experiments: frozenset[int] = frozenset()

    def mismatch(self, lesson_hash: str, question_id: str, expr: str) -> Mismatch | None:
        """Why an attempt at this lesson does not belong to it (None: it does)."""
        if lesson_hash != self.lesson_hash:
            return "version"
        known = self.questions.get(question_id)
        if known is None:
            return "question"
        if known != expr:
            return "expression"
        return None


Mismatch = Literal["lesson", "version", "question", "expression"]
MISMATCH_WORDS: dict[str, str] = {
    "lesson": "for lessons these lessons do not include",
    "version": "for another version of a lesson",
    "question": "for questions these lessons do not have",
    "expression": "with another expression than the question's",
}


@dataclass
class AnswerKey:
    """(lesson id, question id) -> the expected value, and each lesson's shape, from a set of
    lessons."""

    entries: dict[tuple[str, str], KeyEntry] = field(default_factory=dict)
    lesson_ids: frozenset[str] = frozenset()
    shapes: dict[str, LessonShape] = field(default_factory=dict)

    @classmethod
    def from_lessons(cls, lessons: Iterable[Lesson]) -> AnswerKey:
        entries: dict[tuple[str, str], KeyEntry] = {}
        ids: set[str] = set()
        shapes: dict[str, LessonShape] = {}
        for lesson in lessons:
            ids.add(lesson.id)
            shapes[lesson.id] = LessonShape(
                lesson.content_hash,
                {q.id: q.expr for step in lesson.steps for q in step.questions},
                frozenset(s.index for s in lesson.steps if isinstance(s, ExerciseStep)),
                frozenset(s.index for s in lesson.steps if isinstance(s, ExperimentStep)),
            )
            for step in lesson.steps:
                for question in step.questions:
                    if question.expect is not None:  # None: no expect, torch alone decides
                        entries[lesson.id, question.id] = KeyEntry(
                            lesson.content_hash, question.expect, question.tolerance, question.expr
                        )
        return cls(entries, frozenset(ids), shapes)

    def mismatch(
        self, lesson_id: str, lesson_hash: str, question_id: str, expr: str
    ) -> Mismatch | None:
        """Why an attempt does not belong to these lessons, None when it does: its lesson,
        version (lesson hash), question id and expression must all be the lessons' own."""
        shape = self.shapes.get(lesson_id)
        if shape is None:
            return "lesson"
        return shape.mismatch(lesson_hash, question_id, expr)

    def exercise_step(self, lesson_id: str, lesson_hash: str, step: int) -> bool:
        """Whether ``step`` of that version of the lesson is an exercise step."""
        shape = self.shapes.get(lesson_id)
        return shape is not None and shape.lesson_hash == lesson_hash and step in shape.exercises

    def rescore(self, attempt: Attempt) -> tuple[str, float] | None:
        """``(verdict, credit)`` as the app scores ``attempt`` now, or None when it cannot be
        verified (unknown question, no ``expect``, or another version of the lesson)."""
        entry = self.entries.get((attempt.lesson_id, attempt.question_id))
        if entry is None or entry.lesson_hash != attempt.lesson_hash:
            return None
        if attempt.typed is None:
            return ("skipped", 0.0)
        try:
            prediction = parse_prediction(attempt.typed, entry.expr)
        except AnswerSyntaxError:
            return ("unparsable", 0.0)  # the app never commits text it cannot parse
        except (RecursionError, ValueError, OverflowError, MemoryError):
            return ("unparsable", 0.0)
        result = score(
            prediction,
            entry.expect,
            tolerance=entry.tolerance,
            hints_used=attempt.hints_used,
        )
        return (result.verdict, result.credit)


def agrees(stored: Attempt, rescored: tuple[str, float]) -> bool:
    """Whether a stored verdict and credit are what scoring the typed text again gives."""
    verdict, credit = rescored
    return stored.verdict == verdict and abs(float(stored.credit) - credit) <= CREDIT_TOLERANCE
