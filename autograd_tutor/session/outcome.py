"""What a step's run gives the UIs: :class:`StepOutcome` (the worker's result and each
question's :class:`QuestionOutcome`), and :func:`graph_view` (the graph panel's view of a
worker's graph). Plain data; no UI, no torch."""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd_tutor.grading import Score
from autograd_tutor.graph.model import graph_from_json
from autograd_tutor.graph.source import GraphView, LaterAnswers, without_later_answers
from autograd_tutor.lessons.model import Question, Step
from autograd_tutor.values import Value
from autograd_tutor.worker import StepResult


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


def graph_view(result: StepResult, *, revealed: bool, later: LaterAnswers) -> GraphView:
    """What the graph panel shows for a worker's graph result (what a later step asks for
    left out)."""
    if result.error is not None:
        return GraphView(None, revealed, f"No graph: {result.error.type}: {result.error.message}")
    if result.graph is None:
        return GraphView(None, revealed, "Nothing this step asks about is in an autograd graph.")
    try:
        graph = graph_from_json(result.graph)
    except ValueError as exc:
        return GraphView(None, revealed, f"No graph: {exc}")
    return GraphView(without_later_answers(graph, later), revealed)
