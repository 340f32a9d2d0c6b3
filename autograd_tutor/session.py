"""One learner working through one lesson: predict -> run -> score -> record.

Both interfaces (the Textual app and ``--plain``) drive a :class:`LessonSession`; it holds no
UI and no torch. It keeps the worker's namespace in step with the lesson (replaying earlier
steps in a fresh namespace whenever the worker restarted or the learner went back), scores each
prediction against torch's value, and records one attempt per committed answer.

Honest credit: the first attempt recorded for a question is its first try and alone counts for
the score; later attempts (after the reveal, or "retry missed") are retries, shown as such. A
question left out of a commit is neither run for, scored nor shown: torch's value is only ever
shown for a question that was answered or explicitly skipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from autograd_tutor import __version__
from autograd_tutor.grading import (
    Score,
    ScoringContext,
    parse_prediction,
    score,
    takes_errors,
)
from autograd_tutor.grading.agreement import disagreement
from autograd_tutor.graph.model import graph_from_json
from autograd_tutor.graph.source import (
    GraphView,
    LaterAnswers,
    later_answers,
    preview_withheld,
    without_later_answers,
)
from autograd_tutor.lessons.model import Lesson, Question, Step
from autograd_tutor.practice_progress import PracticeStanding, practice_standings
from autograd_tutor.presentation import expect_warning
from autograd_tutor.progress import Attempt, ProgressSaveError, ProgressStore, utc_now_iso
from autograd_tutor.values import Value
from autograd_tutor.worker import StepResult, WorkerLike, WorkerUnavailable

LossCallback = Callable[[list[float]], None]


@dataclass
class QuestionOutcome:
    """One question after the step ran: what was typed, torch's value and the score."""

    question: Question
    typed: str | None  # None: skipped
    prediction: Value | None
    truth: Value | None  # None when the step failed or the expression could not be evaluated
    score: Score | None
    eval_error: str | None = None
    retry: bool = False  # the question had an attempt before: this one does not change the score
    expect_disagrees: str | None = None  # the lesson's expect is not torch's value: what differs
    expect_warning: str | None = None  # what the learner is told about it (names the lesson)


@dataclass
class StepOutcome:
    """A step that ran (or failed): the worker's result and every question's outcome."""

    step: Step
    result: StepResult
    questions: list[QuestionOutcome] = field(default_factory=list)
    replay_failed_at: int | None = None  # position of an earlier step that failed on replay
    save_error: str | None = None  # the answers were scored but could not be saved

    @property
    def ok(self) -> bool:
        return self.result.error is None


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
class LessonSummary:
    """Where a learner stands in a lesson: the score counts each question's first try."""

    lesson: Lesson
    credit: float
    answered: int
    total: int
    missed: tuple[MissedQuestion, ...]
    records: tuple[QuestionRecord, ...] = ()
    practice: tuple[PracticeStanding, ...] = ()  # exercise and experiment steps, in order

    @property
    def percent(self) -> int:
        return round(100 * self.credit / self.total) if self.total else 100

    @property
    def finished(self) -> bool:
        return self.answered >= self.total

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


def _graph_view(result: StepResult, *, revealed: bool, later: LaterAnswers) -> GraphView:
    if result.error is not None:
        return GraphView(None, revealed, f"No graph: {result.error.type}: {result.error.message}")
    if result.graph is None:
        return GraphView(None, revealed, "Nothing this step asks about is in an autograd graph.")
    try:
        graph = graph_from_json(result.graph)
    except ValueError as exc:
        return GraphView(None, revealed, f"No graph: {exc}")
    return GraphView(without_later_answers(graph, later), revealed)


class LessonSession:
    """The predict -> run -> score loop for one lesson, over a shared worker."""

    def __init__(
        self,
        lesson: Lesson,
        worker: WorkerLike,
        store: ProgressStore | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lesson = lesson
        self.worker = worker
        self.store = store
        self._clock = clock
        self._hints: dict[str, int] = {}
        self._shown_at: dict[int, float] = {}
        self._ran_upto = -1  # steps 0.._ran_upto have run, in order, in the worker's namespace
        self._generation: int | None = None
        self.outcomes: dict[int, StepOutcome] = {}
        self._attempts: list[Attempt] = []  # this sitting's attempts (used without a store)
        self.drafts: dict[str, str] = {}  # question id -> typed text not committed yet

    # -- where to start ------------------------------------------------------------------

    def resume_position(self) -> int:
        """The first step with an unanswered question (0 when all are answered, or no store)."""
        if self.store is None:
            return 0
        index = self.store.progress.first_unanswered_step(self.lesson)
        if index is None:
            from autograd_tutor.practice_progress import first_open_practice_step

            index = first_open_practice_step(self.store, self.lesson)
        return 0 if index is None else index

    def attempts(self) -> list[Attempt]:
        """This lesson's attempts in commit order (earlier sittings too, with a store)."""
        if self.store is not None:
            return self.store.progress.attempts(self.lesson.id)
        return list(self._attempts)

    def has_drafts(self) -> bool:
        """True when some prediction was typed but not run yet."""
        return any(text.strip() for text in self.drafts.values())

    def show(self, position: int) -> None:
        """Note that the learner now sees step ``position`` (the time taken starts here)."""
        self._shown_at[position] = self._clock()

    # -- hints ---------------------------------------------------------------------------

    def next_hint(self, question_id: str) -> str | None:
        """The next hint of a question, counted as used; None when there are no more."""
        question = self._question(question_id)
        used = self._hints.get(question_id, 0)
        if used >= len(question.hints):
            return None
        self._hints[question_id] = used + 1
        return question.hints[used]

    def hints_used(self, question_id: str) -> int:
        return self._hints.get(question_id, 0)

    def hints_shown(self, question_id: str) -> list[str]:
        """The hints of a question revealed so far, in order."""
        return list(self._question(question_id).hints[: self.hints_used(question_id)])

    # -- running -------------------------------------------------------------------------

    def commit(
        self,
        position: int,
        answers: Mapping[str, str | None],
        *,
        on_loss: LossCallback | None = None,
    ) -> StepOutcome:
        """Run step ``position`` with the learner's predictions and score them.

        ``answers`` maps question ids to the typed text, or None for a skip; every text must
        already parse with :func:`parse_prediction` (the UIs re-ask before committing). Only
        the questions in ``answers`` are evaluated, scored, recorded and returned: a question
        left out (a retry of the missed ones only) shows nothing. An answer to a question that
        was answered before is recorded as a retry. Attempts are recorded only when torch
        produced a value to compare with.
        """
        step = self.lesson.steps[position]
        try:
            self.worker.wait_ready()
        except WorkerUnavailable as exc:
            return StepOutcome(step, StepResult.failure("DeviceUnavailable", str(exc)))
        replay_failure = self._replay_before(position)
        if replay_failure is not None:
            failed_at, failed = replay_failure
            outcome = StepOutcome(step, failed, replay_failed_at=failed_at)
            self.outcomes[position] = outcome
            return outcome
        asked = [q for q in step.questions if q.id in answers]
        earlier = {a.question_id for a in self.attempts()}
        result = self.worker.run(
            step.code,
            [q.expr for q in asked],
            training=step.training,
            time_limit=self.lesson.time_limit,
            on_loss=on_loss,
        )
        self._after_run(position, result)
        outcome = StepOutcome(step, result)
        if result.error is None:
            outcome.questions = [
                self._score_one(q, answers, result, i, retry=q.id in earlier)
                for i, q in enumerate(asked)
            ]
            for q in asked:
                self.drafts.pop(q.id, None)
            try:
                self._record(position, outcome)
            except ProgressSaveError as exc:  # disk full, read-only folder: say so, go on
                outcome.save_error = f"Your answers could not be saved: {exc}"
        self.outcomes[position] = outcome
        return outcome

    def cancel(self) -> None:
        """Stop the step that is running (from another thread); its outcome says Cancelled."""
        self.worker.cancel()

    def graph(self, position: int) -> GraphView:
        """The autograd graph of step ``position``'s questions, for the graph panel.

        After the step ran (and nothing else ran since): the graph with the gradients torch
        sent along it. Before: the forward structure from a preview of the code (the
        namespace is left as it was), unless a question asks about the graph itself or the
        teacher switched the graph off (``graph: false`` on every question). Blocks on the
        worker: call it from a thread in the TUI.
        """
        step = self.lesson.steps[position]
        # a call (y.backward()) is never evaluated again to draw it: it would run again
        drawn = [q for q in step.questions if not takes_errors(q.expr)]
        flags = [q.graph for q in drawn]
        exprs = [q.expr for q in drawn]
        if step.questions and not any(flags):
            return GraphView(None, False, "The graph is switched off for this step.")
        steps = self.lesson.steps
        later = later_answers(
            [q.expr for s in steps[: position + 1] for q in s.questions],
            [q.expr for s in steps[position + 1 :] for q in s.questions],
        )
        try:
            self.worker.wait_ready()
            outcome = self.outcomes.get(position)
            if outcome is not None and outcome.ok:
                in_sync = self._generation == self.worker.generation and self._ran_upto == position
                if not in_sync:
                    return GraphView(
                        None, True, "Another step ran since: run this step again to draw it."
                    )
                result = self.worker.graph(exprs, graph_for=flags)
                return _graph_view(result, revealed=True, later=later)
            withheld = preview_withheld(exprs, training=step.training is not None)
            if withheld:
                return GraphView(None, False, withheld)
            replay_failure = self._replay_before(position)
            if replay_failure is not None:
                return GraphView(None, False, f"Step {replay_failure[0] + 1} failed on replay.")
            result = self.worker.preview(
                step.code, exprs, graph_for=flags, time_limit=self.lesson.time_limit
            )
            self._after_preview(position)
            return _graph_view(result, revealed=False, later=later)
        except WorkerUnavailable as exc:
            return GraphView(None, False, f"No graph: {exc.message}")

    def _after_preview(self, position: int) -> None:
        # A preview leaves the namespace as it was, unless it timed out (a new worker started).
        if self._generation != self.worker.generation:
            self._ran_upto = -2

    def prepare_namespace(self, position: int) -> tuple[int, StepResult] | None:
        """For the exercise and experiment sessions: replay so that steps before ``position``
        ran (None, or the earlier step that failed with its result)."""
        return self._replay_before(position)

    def namespace_changed(self) -> None:
        """For the experiment session: the namespace no longer holds what the lesson's steps
        make (a run used the learner's knobs), so the next step replays."""
        self._ran_upto = -2

    def note_run(self, position: int, result: StepResult) -> None:
        """For the exercise and experiment sessions: step ``position``'s code just ran."""
        self._after_run(position, result)

    def _replay_before(self, position: int) -> tuple[int, StepResult] | None:
        """Bring the namespace to 'steps 0..position-1 ran'; None, or the position of the
        earlier step that failed with its result."""
        in_sync = self._generation == self.worker.generation and self._ran_upto == position - 1
        if in_sync:
            return None
        self.worker.reset(self.lesson.seed)
        self._generation = self.worker.generation
        self._ran_upto = -1
        for earlier in range(position):
            step = self.lesson.steps[earlier]
            result = self.worker.run(
                step.replay_code, [], training=None, time_limit=self.lesson.time_limit
            )
            self._after_run(earlier, result)
            if result.error is not None:
                return earlier, result
        return None

    def _after_run(self, position: int, result: StepResult) -> None:
        if result.error is None and self._generation == self.worker.generation:
            self._ran_upto = position
        else:  # a failed step leaves the namespace half-updated: replay next time
            self._ran_upto = -2

    # -- scoring and recording -----------------------------------------------------------

    def _score_one(
        self,
        question: Question,
        answers: Mapping[str, str | None],
        result: StepResult,
        i: int,
        *,
        retry: bool,
    ) -> QuestionOutcome:
        answered = result.values[i]
        typed = answers[question.id]
        prediction = parse_prediction(typed, question.expr) if typed is not None else None
        truth = answered.value
        if truth is None and takes_errors(question.expr):
            truth = answered.raised  # a call that raised: the error is the answer
        if truth is None:
            return QuestionOutcome(
                question, typed, prediction, None, None, answered.error, retry=retry
            )
        known_wrong = [(w.answer, w.says) for w in question.wrong]
        context = ScoringContext(
            backward_calls=result.backward_calls, forward_values=result.forward_values
        )
        verdict = score(
            prediction,
            truth,
            tolerance=question.tolerance,
            known_wrong=known_wrong,
            hints_used=self.hints_used(question.id),
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
            expect_warning=(
                expect_warning(self.lesson.id, question.id, differs) if differs else None
            ),
        )

    def _record(self, position: int, outcome: StepOutcome) -> None:
        shown = self._shown_at.get(position)
        seconds = max(0.0, self._clock() - shown) if shown is not None else 0.0
        attempts = [
            Attempt(
                lesson_id=self.lesson.id,
                lesson_hash=self.lesson.content_hash,
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
                expect_disagrees=q.expect_disagrees or "",
            )
            for q in outcome.questions
            if q.score is not None and q.truth is not None
        ]
        self._attempts.extend(attempts)
        if self.store is not None:
            self.store.record_many(attempts)

    # -- the end -------------------------------------------------------------------------

    def summary(self) -> LessonSummary:
        """The score (first tries), missed questions, and the exercises and experiments: from
        the progress store when there is one (so earlier sittings count), else from this
        sitting's attempts."""
        summary = summarize(self.lesson, self.attempts())
        return replace(summary, practice=practice_standings(self.store, self.lesson))

    def _question(self, question_id: str) -> Question:
        for question in self.lesson.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"lesson {self.lesson.id!r} has no question {question_id!r}")
