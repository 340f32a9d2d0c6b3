"""Scores a teacher can trust: each stored attempt scored again from what was typed.

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

from autograd_tutor.grading import AnswerSyntaxError, parse_answer, parse_prediction, score
from autograd_tutor.grading.agreement import disagreement
from autograd_tutor.grading.kinds import error_prediction
from autograd_tutor.lessons.model import Lesson
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


@dataclass
class AnswerKey:
    """(lesson id, question id) -> the expected value, from a set of lessons."""

    entries: dict[tuple[str, str], KeyEntry] = field(default_factory=dict)
    lesson_ids: frozenset[str] = frozenset()

    @classmethod
    def from_lessons(cls, lessons: Iterable[Lesson]) -> AnswerKey:
        entries: dict[tuple[str, str], KeyEntry] = {}
        ids: set[str] = set()
        for lesson in lessons:
            ids.add(lesson.id)
            for step in lesson.steps:
                for question in step.questions:
                    if question.expect is not None:  # None: no expect, torch alone decides
                        entries[lesson.id, question.id] = KeyEntry(
                            lesson.content_hash, question.expect, question.tolerance, question.expr
                        )
        return cls(entries, frozenset(ids))

    def expect_disputed(self, attempt: Attempt) -> bool:
        """Whether the app found this lesson's ``expect`` disagreeing with torch when the
        attempt was scored (it was scored against torch), and the stored torch value indeed
        differs from the key's ``expect``: the lesson's fault ("run check"), not the learner's."""
        entry = self.entries.get((attempt.lesson_id, attempt.question_id))
        if entry is None or entry.lesson_hash != attempt.lesson_hash:
            return False
        return _disputed(entry, attempt)

    def rescore(self, attempt: Attempt) -> tuple[str, float] | None:
        """``(verdict, credit)`` as the app scores ``attempt`` now, or None when it cannot be
        verified (unknown question, no ``expect``, or another version of the lesson)."""
        entry = self.entries.get((attempt.lesson_id, attempt.question_id))
        if entry is None or entry.lesson_hash != attempt.lesson_hash:
            return None
        if self.expect_disputed(attempt):
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


def _disputed(entry: KeyEntry, attempt: Attempt) -> bool:
    if not attempt.expect_disagrees:
        return False
    truth = error_prediction(attempt.truth)
    if truth is None:
        try:
            truth = parse_answer(attempt.truth)
        except AnswerSyntaxError:
            return False
    return disagreement(entry.expr, entry.expect, truth, entry.tolerance) is not None


def agrees(stored: Attempt, rescored: tuple[str, float]) -> bool:
    """Whether a stored verdict and credit are what scoring the typed text again gives."""
    verdict, credit = rescored
    return stored.verdict == verdict and abs(float(stored.credit) - credit) <= CREDIT_TOLERANCE
