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

A parameterised lesson is scored against each attempt's own variant (the numbers that learner
was given: the attempt's ``variant``, the default values for an attempt without one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from autograd_tutor.grading import AnswerSyntaxError, parse_answer, parse_prediction, score
from autograd_tutor.grading.agreement import disagreement
from autograd_tutor.grading.kinds import error_prediction
from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, Lesson
from autograd_tutor.lessons.variants import instantiate, stored_variant
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
    parameterised: dict[str, Lesson] = field(default_factory=dict)  # lesson id -> lesson
    _variants: dict[tuple[str, VariantKey], dict[str, KeyEntry] | None] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def from_lessons(cls, lessons: Iterable[Lesson]) -> AnswerKey:
        entries: dict[tuple[str, str], KeyEntry] = {}
        ids: set[str] = set()
        shapes: dict[str, LessonShape] = {}
        parameterised: dict[str, Lesson] = {}
        for lesson in lessons:
            ids.add(lesson.id)
            shapes[lesson.id] = LessonShape(
                lesson.content_hash,
                {q.id: q.expr for step in lesson.steps for q in step.questions},
                frozenset(s.index for s in lesson.steps if isinstance(s, ExerciseStep)),
                frozenset(s.index for s in lesson.steps if isinstance(s, ExperimentStep)),
            )
            if lesson.params is not None:  # scored per variant; entries: the default's
                parameterised[lesson.id] = lesson
            for question_id, entry in _entries(lesson).items():
                entries[lesson.id, question_id] = entry
        return cls(entries, frozenset(ids), shapes, parameterised)

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

    def entry(
        self, lesson_id: str, question_id: str, variant: dict[str, Any] | None = None
    ) -> KeyEntry | None:
        """What ``question_id`` of ``lesson_id`` is scored against, for the numbers of
        ``variant`` (a parameterised lesson; ``{}`` or None: its default values)."""
        lesson = self.parameterised.get(lesson_id)
        if lesson is None:
            return self.entries.get((lesson_id, question_id))
        chosen = stored_variant(lesson, variant or {})
        memo = (lesson_id, variant_key(chosen))
        if memo not in self._variants:
            try:
                self._variants[memo] = _entries(instantiate(lesson, chosen))
            except LessonError:  # not a variant of this lesson (another version, or edited)
                self._variants[memo] = None
        found = self._variants[memo]
        return found.get(question_id) if found is not None else None

    def expect_disputed(self, attempt: Attempt) -> bool:
        """Whether the app found this lesson's ``expect`` disagreeing with torch when the
        attempt was scored (it was scored against torch), and the stored torch value indeed
        differs from the key's ``expect`` (for the attempt's own variant): the lesson's fault
        ("run check"), never the learner's. A forged claim (torch's stored value agrees with
        the key) is not disputed: the attempt is scored again as any other."""
        if not attempt.expect_disagrees:
            return False
        entry = self.entry(attempt.lesson_id, attempt.question_id, attempt.variant)
        if entry is None or entry.lesson_hash != attempt.lesson_hash:
            return False
        truth = error_prediction(attempt.truth)
        if truth is None:
            try:
                truth = parse_answer(attempt.truth)
            except AnswerSyntaxError:
                return False
        return disagreement(entry.expr, entry.expect, truth, entry.tolerance) is not None

    def rescore(
        self, attempt: Attempt, variant: dict[str, Any] | None = None
    ) -> tuple[str, float] | None:
        """``(verdict, credit)`` as the app scores ``attempt`` now, or None when it cannot be
        verified (unknown question, no ``expect``, another version of the lesson, a variant
        the lesson does not have). ``variant``: score it against those numbers instead of the
        attempt's own."""
        numbers = attempt.variant if variant is None else variant
        entry = self.entry(attempt.lesson_id, attempt.question_id, numbers)
        if entry is None or entry.lesson_hash != attempt.lesson_hash:
            return None
        if variant is None and self.expect_disputed(attempt):
            return None  # scored against torch, not this expect: the lesson's fault, see check
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


VariantKey = tuple[tuple[str, float], ...]


def variant_key(variant: dict[str, Any]) -> VariantKey:
    """A variant as a hashable key (its items in name order)."""
    return tuple(sorted((str(k), float(v)) for k, v in variant.items()))


def _entries(lesson: Lesson) -> dict[str, KeyEntry]:
    return {
        question.id: KeyEntry(
            lesson.content_hash, question.expect, question.tolerance, question.expr
        )
        for step in lesson.steps
        for question in step.questions
        if question.expect is not None  # None: no expect, torch alone decides
    }


def agrees(stored: Attempt, rescored: tuple[str, float]) -> bool:
    """Whether a stored verdict and credit are what scoring the typed text again gives."""
    verdict, credit = rescored
    return stored.verdict == verdict and abs(float(stored.credit) - credit) <= CREDIT_TOLERANCE
