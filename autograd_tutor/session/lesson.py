"""One learner working through one lesson: predict -> run -> score -> record.

Both interfaces (the Textual app and ``--plain``) drive a :class:`LessonSession`; it holds no
UI and no torch. It keeps the worker's namespace in step with the lesson (replaying earlier
steps in a fresh namespace whenever the worker restarted or the learner went back, only the
missing ones when the learner moved on past steps that did not run there: learner code never
runs there), scores each prediction against torch's value, and records one attempt per
committed answer.

Honest credit: the first attempt recorded for a question is its first try and alone counts for
the score; later attempts (after the reveal, or "retry missed") are retries, shown as such. A
question left out of a commit is neither run for, scored nor shown: torch's value is only ever
shown for a question that was answered or explicitly skipped.

The parts it delegates to: ``replay.py`` (the namespace cursor and the replay of earlier steps),
``scoring.py`` (each answer scored against torch, the attempt records of a step).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

from autograd_tutor.graph.source import GraphView, drawn_expr, later_answers, preview_withheld
from autograd_tutor.lessons.model import Lesson, Question
from autograd_tutor.lessons.variants import draw, for_learner, instantiate, take_of
from autograd_tutor.progress import Attempt, ProgressSaveError, ProgressStore
from autograd_tutor.progress.records import first_unanswered_step
from autograd_tutor.session.kinds import practice_step
from autograd_tutor.session.learner_code import PracticeRun
from autograd_tutor.session.outcome import StepOutcome, graph_view
from autograd_tutor.session.replay import NamespaceCursor
from autograd_tutor.session.scoring import score_answer, step_attempts
from autograd_tutor.session.standing import practice_standings
from autograd_tutor.session.summary import LessonSummary, take_standing
from autograd_tutor.worker import StepResult, WorkerLike, WorkerUnavailable

LossCallback = Callable[[list[float]], None]


def _learner_name(store: ProgressStore | None) -> str | None:
    """The name a learner's variants are drawn from: None (the lessons' default numbers) when
    no progress is kept or the learner did not name themselves (the login name default)."""
    if store is None or not store.named:
        return None
    return store.student


class LessonSession:
    """The predict -> run -> score loop for one lesson, over a shared worker."""

    def __init__(
        self,
        lesson: Lesson,
        worker: WorkerLike,
        store: ProgressStore | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        take: int = 0,
    ) -> None:
        self.lesson = lesson
        self.take = take  # attempts are recorded under this take (a retake's numbers differ)
        self.worker = worker
        self.store = store
        self._clock = clock
        self._hints: dict[str, int] = {}
        self._shown_at: dict[int, float] = {}
        self._namespace = NamespaceCursor(worker, lesson)  # which steps ran there; replay
        # learner code runs in this lesson: its fork server starts after the first step ran
        self._has_practice = any(practice_step(step) is not None for step in lesson.steps)
        self.outcomes: dict[int, StepOutcome] = {}
        self._attempts: list[Attempt] = []  # this sitting's attempts (used without a store)
        self.drafts: dict[str, str] = {}  # question id -> typed text not committed yet
        # One worker conversation at a time: a graph fetched from the panel's thread waits for
        # a running commit (and a commit for a fetch), so neither sees the other's namespace.
        self.turn: AbstractContextManager[Any] = threading.Lock()

    @classmethod
    def for_learner(
        cls, lesson: Lesson, worker: WorkerLike, store: ProgressStore | None = None
    ) -> LessonSession:
        """A session on the learner's own numbers: for a parameterised lesson, the variant of
        the take they are on (drawn from their name; the default without a store)."""
        attempts = store.progress.attempts(lesson.id) if store is not None else []
        student = _learner_name(store)
        mine, take = for_learner(lesson, student, attempts)
        return cls(mine, worker, store, take=take)

    def retake(self) -> LessonSession:
        """A new session on the next take of the lesson: new numbers (a parameterised lesson),
        every question unanswered again; the earlier takes' answers stay recorded."""
        student = _learner_name(self.store)
        take = max(self.take, take_of(self.attempts(all_takes=True))) + 1
        mine = instantiate(self.lesson, draw(self.lesson, student, take))
        return LessonSession(mine, self.worker, self.store, clock=self._clock, take=take)

    # -- where to start ------------------------------------------------------------------

    def resume_position(self) -> int:
        """The first step with an unanswered question (0 when all are answered, or no store)."""
        if self.store is None:
            return 0
        answered = {a.question_id for a in self.attempts()}
        index = first_unanswered_step(self.lesson, answered)
        if index is None:
            from autograd_tutor.session.standing import first_open_practice_step

            index = first_open_practice_step(self.store, self.lesson)
        return 0 if index is None else index

    def attempts(self, *, all_takes: bool = False) -> list[Attempt]:
        """This lesson's attempts of this take in commit order (earlier sittings too, with a
        store); ``all_takes``: the earlier takes' too."""
        if self.store is not None:
            attempts = self.store.progress.attempts(self.lesson.id)
        else:
            attempts = list(self._attempts)
        if all_takes:
            return attempts
        return [a for a in attempts if a.take == self.take]

    def answered(self) -> set[str]:
        """Ids of the questions answered in this take: their values were revealed, so a new
        answer to one is a retry."""
        return {a.question_id for a in self.attempts()}

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
        with self.turn:
            return self._commit(position, answers, on_loss)

    def run_step(
        self, position: int, exprs: Sequence[str], *, on_loss: LossCallback | None = None
    ) -> StepOutcome:
        """Step ``position``'s own code (the earlier steps replayed when needed) and the values
        of ``exprs``, nothing scored nor recorded (``check`` runs a lesson this way)."""
        with self.turn:
            return self._run_step(position, exprs, on_loss)

    def _run_step(
        self, position: int, exprs: Sequence[str], on_loss: LossCallback | None
    ) -> StepOutcome:
        step = self.lesson.steps[position]
        try:
            self.worker.wait_ready()
        except WorkerUnavailable as exc:
            return StepOutcome(step, StepResult.failure("DeviceUnavailable", str(exc)))
        replay_failure = self._namespace.replay_before(position)
        if replay_failure is not None:
            failed_at, failed = replay_failure
            return StepOutcome(step, failed, replay_failed_at=failed_at)
        if self._has_practice:  # its torch import (seconds; 13 s on a CUDA box) meanwhile
            self.worker.prepare_learner()
        result = self.worker.run(
            step.code,
            list(exprs),
            training=step.training,
            time_limit=self.lesson.time_limit,
            on_loss=on_loss,
        )
        self._namespace.after_run(position, result)
        return StepOutcome(step, result)

    def _commit(
        self, position: int, answers: Mapping[str, str | None], on_loss: LossCallback | None
    ) -> StepOutcome:
        step = self.lesson.steps[position]
        asked = [q for q in step.questions if q.id in answers]
        earlier = self.answered()
        outcome = self._run_step(position, [q.expr for q in asked], on_loss)
        result = outcome.result
        if outcome.replay_failed_at is None and result.error is None:
            outcome.questions = [
                score_answer(
                    self.lesson.id,
                    q,
                    answers[q.id],
                    result,
                    i,
                    hints_used=self.hints_used(q.id),
                    retry=q.id in earlier,
                )
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
        worker, and waits for a step that is running: call it from a thread in the TUI.
        """
        with self.turn:
            return self._graph(position)

    def _graph(self, position: int) -> GraphView:
        step = self.lesson.steps[position]
        # a call (y.backward()) is never evaluated again to draw it (it would run again):
        # the object it is called on (y) is drawn instead
        drawn = [(q, e) for q in step.questions if (e := drawn_expr(q.expr)) is not None]
        flags = [q.graph for q, _ in drawn]
        exprs = [e for _, e in drawn]
        if step.questions and not any(q.graph for q in step.questions):
            return GraphView(None, False, "The graph is switched off for this step.")
        if step.questions and not any(flags):
            return GraphView(None, False, "Nothing to draw: a call is not run again to draw it.")
        steps = self.lesson.steps
        later = later_answers(
            [q.expr for s in steps[: position + 1] for q in s.questions],
            [q.expr for s in steps[position + 1 :] for q in s.questions],
        )
        try:
            self.worker.wait_ready()
            outcome = self.outcomes.get(position)
            if outcome is not None and outcome.ok:
                if not self._namespace.ran_last(position):
                    return GraphView(
                        None, True, "Another step ran since: run this step again to draw it."
                    )
                result = self.worker.graph(exprs, graph_for=flags)
                return graph_view(result, revealed=True, later=later)
            withheld = preview_withheld(exprs, training=step.training is not None)
            if withheld:
                return GraphView(None, False, withheld)
            replay_failure = self._namespace.replay_before(position)
            if replay_failure is not None:
                return GraphView(None, False, f"Step {replay_failure[0] + 1} failed on replay.")
            result = self.worker.preview(
                step.code, exprs, graph_for=flags, time_limit=self.lesson.time_limit
            )
            self._namespace.after_preview()
            return graph_view(result, revealed=False, later=later)
        except WorkerUnavailable as exc:
            return GraphView(None, False, f"No graph: {exc.message}")

    def run_learner_code(
        self, position: int, run: Callable[[WorkerLike], PracticeRun]
    ) -> PracticeRun:
        """Learner code for step ``position`` (an exercise attempt, an experiment run): ``run``
        (a function of ``session/learner_code.py``) gets the worker, which runs the code in a
        throwaway process of its own where the earlier steps replay first. Nothing runs in the
        lesson worker's namespace, so nothing is replayed there for it; the next step builds
        on this one replayed from the lesson's own code (an exercise's reference solution, an
        experiment's default knobs)."""
        with self.turn:
            try:
                self.worker.wait_ready()
            except WorkerUnavailable as exc:
                return PracticeRun(StepResult.failure("DeviceUnavailable", str(exc)), ran=False)
            return run(self.worker)

    # -- recording -----------------------------------------------------------------------

    def _record(self, position: int, outcome: StepOutcome) -> None:
        shown = self._shown_at.get(position)
        seconds = max(0.0, self._clock() - shown) if shown is not None else 0.0
        attempts = step_attempts(self.lesson, self.take, outcome, seconds)
        self._attempts.extend(attempts)
        if self.store is not None:
            self.store.record_many(attempts)

    # -- the end -------------------------------------------------------------------------

    def summary(self) -> LessonSummary:
        """The score (first tries), missed questions, and the exercises and experiments: from
        the progress store when there is one (so earlier sittings count), else from this
        sitting's attempts."""
        return take_standing(
            self.lesson,
            self.attempts(all_takes=True),
            self.take,
            practice_standings(self.store, self.lesson),
        )

    def _question(self, question_id: str) -> Question:
        for question in self.lesson.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"lesson {self.lesson.id!r} has no question {question_id!r}")
