"""One learner's results file, read and verified as ``report`` reads it.

The bytes come through ``report``'s reader (:func:`~autograd_tutor.progress.report.
read_results_file`: no link followed, size-limited) and the shared schema
(:func:`~autograd_tutor.progress.records.decode_document`); a file that is not a usable results
document is kept as a :class:`LearnerRecord` with its ``problem`` and counts for nothing.

Each answer is checked against the teacher's lessons (:class:`LessonIndex`): an attempt for a
lesson, question, expression or lesson version the teacher does not have is ``unmatched``; one
whose stored verdict or credit is not what scoring the typed text again gives
(:class:`~autograd_tutor.progress.rescore.AnswerKey`) is ``forged``. Neither is counted. The
others count with the re-scored verdict (``verified``), or as stored when the lesson gives no
``expect`` to score against.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, Lesson, Question, Step
from autograd_tutor.progress.paths import student_from_stem
from autograd_tutor.progress.practice_tally import decode_practice, iter_practice_attempts
from autograd_tutor.progress.records import (
    Attempt,
    DocumentError,
    ExerciseAttemptRecord,
    ExperimentRunRecord,
    PracticeAttempt,
    decode_document,
    practice_attempt,
)
from autograd_tutor.progress.report import read_results_file
from autograd_tutor.progress.rescore import AnswerKey, agrees

AttemptStatus = Literal["verified", "as stored", "forged", "unmatched"]
COUNTED: frozenset[str] = frozenset(("verified", "as stored"))


@dataclass
class LessonIndex:
    """The teacher's lessons, looked up by id and by (lesson id, question id), with their answer
    key and a memo of re-scored answers (a class types the same answers again and again)."""

    lessons: dict[str, Lesson]
    questions: dict[tuple[str, str], tuple[Question, Step]]
    key: AnswerKey
    _rescored: dict[tuple[Any, ...], tuple[str, float] | None] = field(default_factory=dict)

    @classmethod
    def of(cls, lessons: Iterable[Lesson]) -> LessonIndex:
        lessons = list(lessons)
        questions = {
            (lesson.id, q.id): (q, step)
            for lesson in lessons
            for step in lesson.steps
            for q in step.questions
        }
        return cls(
            {lesson.id: lesson for lesson in lessons}, questions, AnswerKey.from_lessons(lessons)
        )

    def rescore(self, attempt: Attempt) -> tuple[str, float] | None:
        memo = (
            attempt.lesson_id,
            attempt.question_id,
            attempt.lesson_hash,
            attempt.typed,
            attempt.hints_used,
        )
        if memo not in self._rescored:
            self._rescored[memo] = self.key.rescore(attempt)
        return self._rescored[memo]


@dataclass(frozen=True)
class CheckedAttempt:
    """A stored answer with the verdict and credit that count (re-scored where verified)."""

    attempt: Attempt
    verdict: str
    credit: float
    status: AttemptStatus

    @property
    def counted(self) -> bool:
        return self.status in COUNTED

    @property
    def wrong(self) -> bool:
        return self.verdict in ("wrong", "partial")


@dataclass(frozen=True)
class PracticeTry:
    """One exercise run or experiment run, as the learner's machine recorded it (the typed
    record of progress/records.py; exercise passes are re-run only by ``report``)."""

    lesson_id: str
    step: int
    record: PracticeAttempt

    @property
    def kind(self) -> str:
        return "exercise" if isinstance(self.record, ExerciseAttemptRecord) else "experiment"

    @property
    def timestamp(self) -> str:
        return self.record.timestamp

    @property
    def solution_shown(self) -> bool:
        return isinstance(self.record, ExerciseAttemptRecord) and self.record.solution_shown

    @property
    def failed_checks(self) -> tuple[str, ...]:
        """What each failed check said, and the error the code stopped with."""
        if not isinstance(self.record, ExerciseAttemptRecord):
            return ()
        says = [f.says or f.id or "a check" for f in self.record.failed]
        if self.record.error:
            says.append(f"the code stopped with {self.record.error}")
        return tuple(says)

    @property
    def passed(self) -> bool:
        return isinstance(self.record, ExerciseAttemptRecord) and self.record.passed_all


@dataclass(frozen=True)
class LearnerRecord:
    """One results file at one moment."""

    path: Path
    student: str
    mtime: float  # when the file last changed, by the folder's clock
    problem: str = ""  # why the file cannot be used ("" when it can)
    attempts: tuple[CheckedAttempt, ...] = ()  # in commit order, per lesson
    practice: tuple[PracticeTry, ...] = ()

    @property
    def forged(self) -> int:
        return sum(1 for a in self.attempts if a.status == "forged")

    @property
    def unmatched(self) -> int:
        return sum(1 for a in self.attempts if a.status == "unmatched")

    def counted(self, lesson_id: str | None = None) -> list[CheckedAttempt]:
        """The attempts that count (of one lesson, or of all), in commit order."""
        return [
            a
            for a in self.attempts
            if a.counted and (lesson_id is None or a.attempt.lesson_id == lesson_id)
        ]

    def notes(self) -> list[str]:
        """What the teacher should know about this file, in words."""
        out = []
        if self.problem:
            out.append(f"unreadable: {self.problem}")
        if self.forged:
            n = self.forged
            out.append(
                f"edited by hand? {n} stored verdict{'s' if n != 1 else ''} "
                "not what was typed (not counted)"
            )
        if self.unmatched:
            n = self.unmatched
            out.append(
                f"{n} attempt{'s' if n != 1 else ''} for questions these lessons do not have "
                "(not counted)"
            )
        return out


def _student_of(path: Path) -> str:
    try:
        return student_from_stem(path.stem)
    except UnicodeDecodeError:
        return path.stem


def check_attempt(attempt: Attempt, index: LessonIndex) -> CheckedAttempt:
    """``attempt`` against the teacher's lessons: unmatched, forged, verified or as stored."""
    lesson = index.lessons.get(attempt.lesson_id)
    found = index.questions.get((attempt.lesson_id, attempt.question_id))
    if (
        lesson is None
        or found is None
        or found[0].expr != attempt.expr
        or attempt.lesson_hash != lesson.content_hash
    ):
        return CheckedAttempt(attempt, attempt.verdict, float(attempt.credit), "unmatched")
    rescored = index.rescore(attempt)
    if rescored is None:
        return CheckedAttempt(attempt, attempt.verdict, float(attempt.credit), "as stored")
    if not agrees(attempt, rescored):
        return CheckedAttempt(attempt, attempt.verdict, float(attempt.credit), "forged")
    verdict = "wrong" if rescored[0] == "unparsable" else rescored[0]
    return CheckedAttempt(attempt, verdict, rescored[1], "verified")


def _practice_tries(data: bytes, index: LessonIndex) -> tuple[PracticeTry, ...]:
    out = []
    for lesson_id, step, raw in iter_practice_attempts({"lessons": decode_practice(data)}):
        lesson = index.lessons.get(lesson_id)
        record = practice_attempt(raw)
        if lesson is None or step >= len(lesson.steps) or record is None:
            continue  # a step the teacher's lessons do not have, or a record that is no record
        target = lesson.steps[step]
        if (isinstance(target, ExerciseStep) and isinstance(record, ExerciseAttemptRecord)) or (
            isinstance(target, ExperimentStep) and isinstance(record, ExperimentRunRecord)
        ):
            out.append(PracticeTry(lesson_id, step, record))
    return tuple(out)


def read_learner(path: Path, index: LessonIndex, mtime: float) -> LearnerRecord:
    """One results file, read and verified (never raises for what the file holds)."""
    try:
        data = read_results_file(str(path))
        doc = decode_document(data)
    except DocumentError as exc:
        return LearnerRecord(path, _student_of(path), mtime, problem=str(exc))
    except OSError as exc:
        return LearnerRecord(
            path, _student_of(path), mtime, problem=f"cannot be read ({exc.strerror or exc})"
        )
    attempts = tuple(
        check_attempt(a, index) for record in doc.lessons.values() for a in record.attempts
    )
    student = doc.student.strip() or _student_of(path)
    return LearnerRecord(path, student, mtime, "", attempts, _practice_tries(data, index))
