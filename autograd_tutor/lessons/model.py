"""The lesson model: what a YAML lesson says, once loaded and validated.

Plain frozen dataclasses; the loader (``loader.py``) builds them and nothing else does. The model
is complete at load: an author's ``expect`` and every known wrong ``answer`` are already
:class:`~autograd_tutor.values.Value` s (an answer that does not parse is a load error), so
nothing downstream reads an author's raw YAML again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, NoReturn

from autograd_tutor.lessons.params import ParamSpace, Variant, variant_label
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


@dataclass(frozen=True, kw_only=True)
class _StepFrame:
    """What every kind of step has: where it is, its words, its code, its plots."""

    index: int
    title: str = ""
    explain: str = ""
    code: str = ""
    code_line: int = 0
    training: Training | None = None
    line: int = 0
    graph_open: bool = False  # ``graph: open``: the graph panel opens with the step


@dataclass(frozen=True, kw_only=True)
class QuestionStep(_StepFrame):
    """The learner predicts values (``ask``), then the code runs and each is scored; a step
    with no question only explains (and runs its code)."""

    kind: ClassVar[Literal["questions"]] = "questions"
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ExerciseStep(_StepFrame):
    """The learner writes code (lessons/practice.py: ``Exercise``) that the checks judge;
    ``code`` is the setup run before it."""

    kind: ClassVar[Literal["exercise"]] = "exercise"
    exercise: Exercise

    @property
    def questions(self) -> tuple[Question, ...]:
        return ()


@dataclass(frozen=True, kw_only=True)
class ExperimentStep(_StepFrame):
    """The learner turns knobs and predicts the run's outcome; ``code`` reads the knobs."""

    kind: ClassVar[Literal["experiment"]] = "experiment"
    experiment: Experiment

    @property
    def questions(self) -> tuple[Question, ...]:
        return ()


# A step is exactly one of three kinds. Code that treats the kinds differently matches on the
# class with ``typing.assert_never`` in the default branch (mypy then names every place a new
# kind must be handled): the core in session/kinds.py, the UIs in tui/screens/step_kinds.py,
# plain/tutor.py and commands/check.py.
Step = QuestionStep | ExerciseStep | ExperimentStep
STEP_KINDS = ("questions", "exercise", "experiment")


def assert_never(value: NoReturn) -> NoReturn:
    """The default branch of a ``match`` over the step kinds (``typing.assert_never`` is
    Python 3.11+): mypy reports a kind left unhandled, and at run time it is a bug."""
    raise AssertionError(f"unhandled kind of step: {type(value).__name__}")


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
    memory_limit: int | None = None  # bytes a learner run may add (None: a quarter of RAM)
    order: int = 1000
    minutes: int | None = None  # about how long the lesson takes (None: not said)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    params: ParamSpace | None = None  # None: a lesson without parameters
    variant: Variant = field(default_factory=dict)  # this copy's parameter values ({}: none)
    source: str = field(default="", compare=False, repr=False)  # the YAML text, for variants

    @property
    def variant_label(self) -> str:
        """``a=3, b=-1`` for a parameterised lesson, ``""`` otherwise."""
        return variant_label(self.variant)

    @property
    def prelude(self) -> str:
        """Code that puts the parameters into the lesson namespace (run after each reset)."""
        return "".join(f"{name} = {value!r}\n" for name, value in self.variant.items())

    @property
    def questions(self) -> list[Question]:
        return [q for step in self.steps for q in step.questions]

    def step_of(self, question_id: str) -> Step:
        for step in self.steps:
            if any(q.id == question_id for q in step.questions):
                return step
        raise KeyError(question_id)
