"""One learner's results file, read and verified by ``report``'s own code path.

Reading and verifying are :class:`~autograd_tutor.progress.report.Verifier`'s (no link
followed, size-limited, the shared schema; every attempt checked against the teacher's lessons
and scored again from the typed text against its own variant): the live lab view has no reader
of its own. A file that is not a usable results document is kept as a :class:`LearnerRecord`
with its ``problem`` and counts for nothing. An attempt for a lesson, question, expression or
lesson version the teacher does not have is left out by the verifier (``uncounted`` says
how many, by reason); one whose stored verdict or credit is not what scoring the typed text gives is
``forged``. Neither is counted; the others count with the verifier's verdict and credit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from autograd_tutor.lessons.model import Lesson
from autograd_tutor.presentation import plural
from autograd_tutor.progress.practice_tally import iter_practice_attempts
from autograd_tutor.progress.records import (
    Attempt,
    ExerciseAttemptRecord,
    PracticeAttempt,
    practice_attempt,
)
from autograd_tutor.progress.report import UnusableResultsFile, VerifiedResults, Verifier
from autograd_tutor.progress.report.learner_notes import UNCOUNTED_WORDS
from autograd_tutor.progress.report.read import student_of
from autograd_tutor.progress.rescore import AnswerKey

AttemptStatus = Literal["counted", "forged"]


@dataclass
class LessonIndex:
    """The teacher's lessons by id, and the verifier of their answer key (its re-scoring cache
    is shared by every file read: a class types the same answers again and again)."""

    lessons: dict[str, Lesson]
    verifier: Verifier

    @classmethod
    def of(cls, lessons: Iterable[Lesson]) -> LessonIndex:
        lessons = list(lessons)
        key = AnswerKey.from_lessons(lessons)
        return cls({lesson.id: lesson for lesson in lessons}, Verifier(key))


@dataclass(frozen=True)
class CheckedAttempt:
    """A stored answer with the verdict and credit that count (re-scored where verified)."""

    attempt: Attempt
    verdict: str
    credit: float
    status: AttemptStatus

    @property
    def counted(self) -> bool:
        return self.status == "counted"

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
    # attempts left out by the verifier, by reason (not for the teacher's lessons as they are)
    uncounted: tuple[tuple[str, int], ...] = ()

    @property
    def forged(self) -> int:
        return sum(1 for a in self.attempts if a.status == "forged")

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
        for reason, n in self.uncounted:
            words = UNCOUNTED_WORDS.get(reason, reason)
            out.append(f"{plural(n, 'attempt')} {words} (not counted)")
        return out


def checked_attempts(results: VerifiedResults) -> tuple[CheckedAttempt, ...]:
    """A verified file's attempts, each with the verifier's verdict and credit, and forged
    when its stored verdict or credit disagrees with them."""
    return tuple(
        CheckedAttempt(
            attempt,
            verdict,
            credit,
            "forged" if i in results.disputed else "counted",
        )
        for i, (attempt, verdict, credit) in enumerate(
            zip(results.attempts, results.verdicts, results.credits, strict=True)
        )
    )


def practice_tries(results: VerifiedResults) -> tuple[PracticeTry, ...]:
    """The exercise and experiment runs the verifier kept (those at a step of that kind of that
    version of the teacher's lesson), as typed records."""
    out = []
    for lesson_id, step, raw in iter_practice_attempts({"lessons": results.practice}):
        record = practice_attempt(raw)
        if record is not None:
            out.append(PracticeTry(lesson_id, step, record))
    return tuple(out)


def read_learner(path: Path, index: LessonIndex, mtime: float) -> LearnerRecord:
    """One results file, read and verified (never raises for what the file holds)."""
    try:
        results = index.verifier.read(path)
    except UnusableResultsFile as exc:
        return LearnerRecord(path, student_of(path), mtime, problem=exc.reason)
    return LearnerRecord(
        path,
        results.student,
        mtime,
        "",
        checked_attempts(results),
        practice_tries(results),
        tuple(sorted(results.uncounted.items())),
    )
