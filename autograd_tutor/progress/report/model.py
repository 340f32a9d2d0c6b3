"""The teacher's report as plain data: :class:`Report` (a folder summed up), with
:class:`LearnerTotals` (one results file: one learner, with :class:`LessonResult` per lesson),
:class:`QuestionStats` (with its commonest :class:`WrongAnswer`) and :class:`LessonStats`.
:mod:`.aggregate` builds it, :mod:`.render` and :mod:`.gradebook` write it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from autograd_tutor.progress.practice_tally import ExerciseTally, PracticeCounter
from autograd_tutor.progress.report.read import ExerciseClaim, FileProblem
from autograd_tutor.progress.report.variant_copies import OtherVariantAnswer
from autograd_tutor.progress.rescore import LessonShape


class CreditShare:
    """The score of a row that sums ``credit`` over ``answered`` questions (a learner's, a
    lesson's)."""

    credit: float
    answered: int

    @property
    def share(self) -> float:
        """The score as a fraction (0..1) of the questions answered."""
        return self.credit / self.answered if self.answered else 0.0

    @property
    def percent(self) -> float:
        return 100.0 * self.share


@dataclass(frozen=True)
class LessonResult:
    """One learner's standing on one lesson (counted attempts and practice only)."""

    lesson_id: str
    answered: int  # questions answered
    credit: float  # sum of their latest credit
    exercises_passed: frozenset[int] = frozenset()  # exercise steps passed (as stored)
    practice_done: frozenset[int] = (
        frozenset()
    )  # exercises passed or solution shown, experiments run


@dataclass(frozen=True)
class LearnerTotals(CreditShare):
    """One results file (one learner)."""

    student: str
    path: Path
    lessons: int
    attempts: int
    answered: int  # questions with at least one attempt
    credit: float  # sum of each question's latest credit (re-scored where verified)
    verified: int = 0  # attempts scored again from what was typed
    disagree: int = 0  # of those, how many stored another verdict or credit
    example: str = ""  # one disagreeing attempt, described
    notes: tuple[str, ...] = ()
    uncounted: tuple[tuple[str, int], ...] = ()  # (reason, attempts) left out, never counted
    unknown_lessons: int = 0  # lesson ids in the file that the teacher's lessons do not include
    lesson_results: tuple[LessonResult, ...] = ()  # per lesson tried, for the gradebook
    exercises: tuple[ExerciseClaim, ...] = ()  # saved exercise attempts (for --rerun)
    # attempts scored against torch because the lesson's expect disagrees with torch, and
    # the questions they were given to ("lesson-id 2.1")
    expect_disputed: int = 0
    expect_disputed_questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class WrongAnswer:
    """A wrong (or partly right) answer given to a question, normalised, with how often."""

    text: str
    count: int
    names: str  # the misconceptions in words, comma-separated ("" when none is known)
    feedback: str  # the message the learners got for it

    @property
    def misconception(self) -> str:
        """In words: ``"sign flipped: The sign is flipped ..."``, the names or the feedback
        alone; never the scorer's internal codes."""
        if self.names and self.feedback:
            return f"{self.names}: {self.feedback}"
        return self.names or self.feedback


@dataclass(frozen=True)
class QuestionStats:
    lesson_id: str
    question_id: str
    expr: str
    learners: int  # learners who answered it
    first_right: int  # learners right on their first try (their first attempt)
    attempts: int
    wrong: tuple[WrongAnswer, ...]  # most common first, at most TOP_WRONG
    wrong_total: int  # wrong or partial attempts in all
    other_variant: int = 0  # learners who answered with the value of another variant
    expect_disputed: int = 0  # attempts scored against torch: the lesson's expect disagrees

    @property
    def first_right_share(self) -> float:
        return self.first_right / self.learners if self.learners else 0.0


@dataclass(frozen=True)
class LessonStats(CreditShare):
    lesson_id: str
    learners: int
    answered: int  # (learner, question) pairs answered
    credit: float
    older_version: int  # learners whose answers were given to an older version of the lesson
    older_examples: tuple[str, ...]  # a few of their names


@dataclass
class Report:
    directory: Path
    learners: list[LearnerTotals] = field(default_factory=list)
    questions: list[QuestionStats] = field(default_factory=list)
    lessons: list[LessonStats] = field(default_factory=list)  # lowest score first
    problems: list[FileProblem] = field(default_factory=list)
    checked: bool = False  # an answer key was given: attempts were re-scored
    shapes: dict[str, LessonShape] = field(default_factory=dict)  # the teacher's lessons
    other_variant: list[OtherVariantAnswer] = field(default_factory=list)  # copied?
    practice: ExerciseTally = field(default_factory=lambda: PracticeCounter().tally())

    @property
    def attempts(self) -> int:
        return sum(learner.attempts for learner in self.learners)
