"""The lesson model: what a YAML lesson says, once loaded and validated.

Plain frozen dataclasses; the loader (``loader.py``) builds them and nothing else does. The model
is complete at load: an author's ``expect`` and every known wrong ``answer`` are already
:class:`~autograd_tutor.values.Value` s (an answer that does not parse is a load error), so
nothing downstream reads an author's raw YAML again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograd_tutor.lessons.practice import Exercise, Experiment
from autograd_tutor.values import Value

DEFAULT_TIME_LIMIT = 10.0


@dataclass(frozen=True)
class KnownWrong:
    """A wrong answer the author expects, with the sentence that explains the misconception."""

    answer: Value
    says: str
    line: int = 0


@dataclass(frozen=True)
class Question:
    """A value to predict: ``expr`` is evaluated in the lesson namespace after the step's code."""

    id: str
    expr: str
    prompt: str
    hints: tuple[str, ...] = ()
    explain: str = ""
    tolerance: float | None = None
    wrong: tuple[KnownWrong, ...] = ()
    expect: Value | None = None  # None: the author gave no expect; torch's None is Value.none()
    line: int = 0
    graph: bool = True  # ``graph: false``: this question's tensors are not drawn
    expect_line: int = 0  # the file line of ``expect`` (or ``raises``); 0 without one

    @property
    def has_expect(self) -> bool:
        """Whether the author wrote an ``expect`` (``expect: null`` counts: torch gives None)."""
        return self.expect is not None


@dataclass(frozen=True)
class LinePlot:
    """A straight line ``y = slope * x + intercept`` drawn over a training step's data."""

    label: str
    slope: str
    intercept: str


@dataclass(frozen=True)
class Training:
    """What a training step plots: a loss series and, optionally, data points and lines.

    Every field is a Python expression evaluated after the step's code ran. ``loss`` may be
    empty when the code reports losses itself with ``record_loss(value)``.
    """

    loss: str = ""
    log_scale: bool = False
    x: str = ""
    y: str = ""
    lines: tuple[LinePlot, ...] = ()


@dataclass(frozen=True)
class Step:
    index: int
    title: str = ""
    explain: str = ""
    code: str = ""
    code_line: int = 0
    questions: tuple[Question, ...] = ()
    training: Training | None = None
    line: int = 0
    exercise: Exercise | None = None  # the learner writes code (lessons/practice.py)
    experiment: Experiment | None = None  # the learner turns knobs and predicts the run
    graph_open: bool = False  # ``graph: open``: the graph panel opens with the step

    @property
    def replay_code(self) -> str:
        """The code that brings the namespace past this step when a later step replays it:
        an exercise's setup then its reference solution; an experiment's code with its knobs
        at their defaults."""
        if self.exercise is not None:
            return self.code + "\n" + self.exercise.solution
        if self.experiment is not None:
            knobs = "".join(f"{k.name} = {k.default!r}\n" for k in self.experiment.knobs)
            return knobs + self.code
        return self.code


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    summary: str
    path: Path
    content_hash: str
    steps: tuple[Step, ...]
    attribution: str = ""  # where the lesson comes from (the YAML key ``credit``)
    seed: int = 0
    time_limit: float = DEFAULT_TIME_LIMIT
    order: int = 1000
    minutes: int | None = None  # about how long the lesson takes (None: not said)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def questions(self) -> list[Question]:
        return [q for step in self.steps for q in step.questions]

    def step_of(self, question_id: str) -> Step:
        for step in self.steps:
            if any(q.id == question_id for q in step.questions):
                return step
        raise KeyError(question_id)
