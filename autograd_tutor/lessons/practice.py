"""The two hands-on step kinds of the lesson model: exercises and experiments.

An **exercise** gives the learner starter code with ``# TODO`` lines to finish; after their code
ran in the lesson namespace, the worker runs the exercise's checks (built-in ones by name, and
the author's expressions) and reports each as passed or failed with its message.

An **experiment** names knobs (choices or a whole-number range) that the step's training code
reads as variables; before each run the learner predicts which outcome the run will have, and
the outcome rules (expressions over ``losses``, the run's recorded loss series) say which one it
had. Plain frozen dataclasses, built by :mod:`autograd_tutor.lessons.practice_loader`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Built-in checks: name -> the message shown when the check fails. The learner's run observes
# the facts (autograd_tutor/worker/exercise_probe.py); the lesson worker decides the verdicts
# (autograd_tutor/worker/builtin_checks.py).
BUILTIN_CHECKS: dict[str, str] = {
    "backward_called": "backward() was never called",
    "grads_zeroed": "gradients were never zeroed",
    "update_not_recorded": "the update was recorded by autograd",
    "loss_decreased": "loss did not decrease",
}

# ... and what a passed one says.
BUILTIN_PASSED: dict[str, str] = {
    "backward_called": "backward() was called",
    "grads_zeroed": "the gradients were zeroed between backward() calls",
    "update_not_recorded": "the parameters stayed leaves (the update was not recorded)",
    "loss_decreased": "the loss decreased",
}


@dataclass(frozen=True)
class Check:
    """One check of an exercise: a built-in (``builtin`` set) or an expression ``expr`` that must
    be true after the learner's code ran; ``says`` is the message shown when it fails."""

    id: str  # the built-in's name, or "check <n>" (1-based)
    says: str
    builtin: str = ""
    expr: str = ""
    line: int = 0
    label: str = ""  # what an ``expr`` check looks for, in words (``label:``)

    @property
    def title(self) -> str:
        """What the check looks for, as shown beside its verdict: the built-in's words, the
        author's ``label``, else the expression itself."""
        if self.builtin:
            return BUILTIN_PASSED.get(self.builtin, "")
        return self.label or self.expr


@dataclass(frozen=True)
class Exercise:
    """Starter code (with ``# TODO`` lines), the reference solution, and the checks."""

    starter: str
    solution: str
    checks: tuple[Check, ...]
    starter_line: int = 0
    solution_line: int = 0


@dataclass(frozen=True)
class Knob:
    """A variable the experiment's code reads: one of ``choices``, or a whole number in
    ``low..high`` (``choices`` empty)."""

    name: str
    choices: tuple[Any, ...] = ()
    low: int = 0
    high: int = 0
    default: Any = None

    @property
    def is_range(self) -> bool:
        return not self.choices

    def accepts(self, value: Any) -> bool:
        if self.choices:
            return any(value == c and type(value) is type(c) for c in self.choices)
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
        )

    def samples(self) -> tuple[Any, ...]:
        """The values ``check`` tries: every choice, or both ends of the range."""
        if self.choices:
            return self.choices
        return (self.low, self.high) if self.low != self.high else (self.low,)


@dataclass(frozen=True)
class Outcome:
    """A possible outcome of a run; ``when`` (an expression over ``losses`` and ``math``) says
    whether the run had it. The first outcome whose rule holds is the run's outcome."""

    name: str
    when: str
    explain: str = ""
    line: int = 0


@dataclass(frozen=True)
class Experiment:
    knobs: tuple[Knob, ...]
    outcomes: tuple[Outcome, ...]
    prompt: str = "What will this run do?"
    try_all: bool = False  # the learner runs every knob value before moving on
    show: tuple[str, ...] = ()  # outcome names in the order they are offered (else rule order)

    def shown_outcomes(self) -> list[str]:
        """Outcome names in the order the learner is offered them: ``show`` first, then any
        not listed there, in rule order (rules are still tried in their own order)."""
        rest = [o.name for o in self.outcomes if o.name not in self.show]
        return [*self.show, *rest]

    def knob(self, name: str) -> Knob:
        for knob in self.knobs:
            if knob.name == name:
                return knob
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        return {k.name: k.default for k in self.knobs}


def knob_literal(value: Any) -> str:
    """A knob value as Python source (``0.1``, ``True``, ``'sgd'``)."""
    return repr(value)


def knob_label(settings: dict[str, Any]) -> str:
    """``lr=0.1 zero_grad=False``: a run's name in legends and reports."""
    return " ".join(f"{name}={value}" for name, value in settings.items())
