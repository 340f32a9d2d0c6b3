"""Where a learner stands in a lesson: the score (each question's first try), the missed
questions, and the exercises and experiments (``standing.py``). What the picker, the summary
screen, ``--plain`` and the report read; no UI, no torch.

A lesson taken again with new numbers (a retake) is judged by its current take alone: the
latest take's first tries are the score and decide whether it is finished or in progress; the
earlier takes' scores are kept beside it (:attr:`LessonSummary.earlier`). :func:`take_standing`
is the one function that builds a standing; the picker (:func:`lesson_standing`) and a
running session both call it. Exercises and experiments are not per take: one passed or run
stays done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from autograd_tutor.lessons.model import Lesson, Question
from autograd_tutor.lessons.params import variant_label
from autograd_tutor.lessons.variants import stored_variant, take_of
from autograd_tutor.progress import Attempt, ProgressStore
from autograd_tutor.session.standing import PracticeStanding, practice_standings


@dataclass(frozen=True)
class MissedQuestion:
    """A question whose first try was not right; ``fixed`` once a retry got it right."""

    question: Question
    step_index: int
    verdict: str
    feedback: str
    fixed: bool = False


@dataclass(frozen=True)
class QuestionRecord:
    """A question's first try (it alone counts) and its latest attempt (a retry, or the same)."""

    question: Question
    step_index: int
    first: Attempt | None  # None: never answered
    latest: Attempt | None

    @property
    def retried(self) -> bool:
        return self.first is not None and self.latest is not self.first


@dataclass(frozen=True)
class TakeScore:
    """One earlier time through a parameterised lesson: its numbers and its first-try score."""

    take: int
    variant_label: str
    credit: float
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.credit / self.total) if self.total else 100


@dataclass(frozen=True)
class LessonSummary:
    """Where a learner stands in a lesson: the score counts each question's first try."""

    lesson: Lesson
    credit: float
    answered: int
    total: int
    missed: tuple[MissedQuestion, ...]
    records: tuple[QuestionRecord, ...] = ()
    practice: tuple[PracticeStanding, ...] = ()  # exercise and experiment steps, in order
    take: int = 0  # 0: the first time through; 1, 2, ...: a retake with new numbers
    earlier: tuple[TakeScore, ...] = ()  # the takes before this one, first first

    @property
    def percent(self) -> int:
        return round(100 * self.credit / self.total) if self.total else 100

    @property
    def finished(self) -> bool:
        """Every question answered, every exercise and experiment done."""
        return self.answered >= self.total and all(p.done for p in self.practice)

    @property
    def started(self) -> bool:
        """Some question answered, or some exercise or experiment tried."""
        return bool(self.answered) or any(p.runs or p.done for p in self.practice)

    @property
    def has_work(self) -> bool:
        """The lesson asks something of the learner (a question, an exercise, an experiment)."""
        return bool(self.total or self.practice)

    @property
    def unfinished_practice(self) -> PracticeStanding | None:
        """The first exercise or experiment not done yet (where "back to the exercise" goes)."""
        return next((p for p in self.practice if not p.done), None)

    def to_retry(self) -> dict[int, frozenset[str]]:
        """Step position -> ids of its questions still not right (missed, not fixed yet)."""
        out: dict[int, set[str]] = {}
        for m in self.missed:
            if not m.fixed:
                out.setdefault(m.step_index, set()).add(m.question.id)
        return {position: frozenset(ids) for position, ids in sorted(out.items())}


def summarize(lesson: Lesson, attempts: Sequence[Attempt]) -> LessonSummary:
    """A lesson's standing from its attempts in commit order: each question's first attempt
    is its first try (the score); a later right attempt marks a miss as fixed on retry."""
    first: dict[str, Attempt] = {}
    latest: dict[str, Attempt] = {}
    for attempt in attempts:
        first.setdefault(attempt.question_id, attempt)
        latest[attempt.question_id] = attempt
    missed: list[MissedQuestion] = []
    records: list[QuestionRecord] = []
    credit = 0.0
    answered = 0
    for step in lesson.steps:
        for question in step.questions:
            one, last = first.get(question.id), latest.get(question.id)
            records.append(QuestionRecord(question, step.index, one, last))
            if one is None:
                missed.append(MissedQuestion(question, step.index, "unanswered", ""))
                continue
            answered += 1
            credit += one.credit
            if one.verdict != "right":
                fixed = last is not None and last.verdict == "right"
                missed.append(
                    MissedQuestion(question, step.index, one.verdict, one.feedback, fixed)
                )
    return LessonSummary(
        lesson=lesson,
        credit=credit,
        answered=answered,
        total=len(lesson.questions),
        missed=tuple(missed),
        records=tuple(records),
    )


def earlier_takes(lesson: Lesson, attempts: Sequence[Attempt], take: int) -> tuple[TakeScore, ...]:
    """The first-try score of each take before ``take``, with the numbers it was given."""
    out: list[TakeScore] = []
    for earlier in range(take):
        of_take = [a for a in attempts if a.take == earlier]
        if not of_take:
            continue
        variant = stored_variant(lesson, of_take[0].variant)
        done = summarize(lesson, of_take)
        out.append(
            TakeScore(earlier, variant_label(variant), done.credit, done.answered, done.total)
        )
    return tuple(out)


def take_standing(
    lesson: Lesson,
    attempts: Sequence[Attempt],
    take: int,
    practice: tuple[PracticeStanding, ...] = (),
) -> LessonSummary:
    """Where the learner stands on take ``take`` of ``lesson``: that take's first tries
    (``attempts`` holds every take's, in commit order), the earlier takes' scores, and the
    exercises and experiments."""
    summary = summarize(lesson, [a for a in attempts if a.take == take])
    return replace(
        summary, practice=practice, take=take, earlier=earlier_takes(lesson, attempts, take)
    )


def lesson_standing(lesson: Lesson, store: ProgressStore | None) -> LessonSummary:
    """Where the learner stands in ``lesson`` by the progress store, on the take they are on
    (the latest one they answered in): what the picker and --plain read."""
    attempts = store.progress.attempts(lesson.id) if store is not None else []
    return take_standing(lesson, attempts, take_of(attempts), practice_standings(store, lesson))
