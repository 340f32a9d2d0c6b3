"""Scoring a committed step: each answer against torch's value (:func:`score_answer`, with the
misconception it shows and whether the lesson's ``expect`` disagrees with torch), and the attempt
records the step leaves (:func:`step_attempts`). No UI, no torch.
"""

from __future__ import annotations

from autograd_tutor import __version__
from autograd_tutor.grading import ScoringContext, parse_prediction, score, takes_errors
from autograd_tutor.grading.agreement import disagreement
from autograd_tutor.lessons.model import Lesson, Question
from autograd_tutor.presentation import expect_warning
from autograd_tutor.progress import Attempt, utc_now_iso
from autograd_tutor.session.outcome import QuestionOutcome, StepOutcome
from autograd_tutor.worker import StepResult


def score_answer(
    lesson_id: str,
    question: Question,
    typed: str | None,
    result: StepResult,
    i: int,
    *,
    hints_used: int,
    retry: bool,
) -> QuestionOutcome:
    """The learner's ``typed`` answer to ``question`` scored against torch's value (the
    ``i``-th value of ``result``), with the misconception it shows and whether the lesson's own
    ``expect`` disagrees with torch."""
    answered = result.values[i]
    prediction = parse_prediction(typed, question.expr) if typed is not None else None
    truth = answered.value
    if truth is None and takes_errors(question.expr):
        truth = answered.raised  # a call that raised: the error is the answer
    if truth is None:
        return QuestionOutcome(question, typed, prediction, None, None, answered.error, retry=retry)
    known_wrong = [(w.answer, w.says) for w in question.wrong]
    context = ScoringContext(
        backward_calls=result.backward_calls, forward_values=result.forward_values
    )
    verdict = score(
        prediction,
        truth,
        tolerance=question.tolerance,
        known_wrong=known_wrong,
        hints_used=hints_used,
        context=context,
    )
    differs = (
        disagreement(question.expr, question.expect, truth, question.tolerance)
        if question.expect is not None
        else None
    )
    return QuestionOutcome(
        question,
        typed,
        prediction,
        truth,
        verdict,
        retry=retry,
        expect_disagrees=differs,
        expect_warning=(expect_warning(lesson_id, question.id, differs) if differs else None),
    )


def step_attempts(lesson: Lesson, take: int, outcome: StepOutcome, seconds: float) -> list[Attempt]:
    """One :class:`Attempt` per scored question of a committed step (none where torch gave no
    value to compare with), on ``lesson``'s variant and ``take``; ``seconds`` on the step."""
    attempts = [
        Attempt(
            lesson_id=lesson.id,
            lesson_hash=lesson.content_hash,
            step=outcome.step.index,
            question_id=q.question.id,
            expr=q.question.expr,
            typed=q.typed,
            verdict=q.score.verdict,
            credit=q.score.credit,
            hints_used=q.score.hints_used,
            seconds=round(seconds, 3),
            timestamp=utc_now_iso(),
            app_version=__version__,
            diagnoses=tuple(d.code for d in q.score.diagnoses),
            feedback=q.score.feedback,
            truth=q.truth.display(),
            variant=dict(lesson.variant),
            take=take,
            expect_disagrees=q.expect_disagrees or "",
        )
        for q in outcome.questions
        if q.score is not None and q.truth is not None
    ]
    return attempts
