"""One experiment step: knob settings + a prediction -> a run in the worker -> its outcome.

Both interfaces drive an :class:`ExperimentSession`; it holds no UI and no torch. A run brings
the namespace to "every earlier step ran", sets the knobs as variables, runs the step's code
with the outcome rules as checks (the worker keeps the loss series: the values ``backward()``
was called on), and names the run's outcome: the first rule that holds. The prediction is
right when it names that outcome. Every run is saved (settings, prediction, outcome, losses)
so the overlay of runs comes back when the learner returns.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from autograd_tutor.lessons.model import ExperimentStep
from autograd_tutor.lessons.practice import Experiment, knob_label
from autograd_tutor.progress.exercise_records import ExperimentRun, practice_attempts
from autograd_tutor.progress.records import ExperimentRunRecord
from autograd_tutor.session.learner_code import run_experiment_code
from autograd_tutor.session.practice_step import PracticeStepSession
from autograd_tutor.session.standing import tried_settings, untried_settings
from autograd_tutor.worker import StepResult

LossCallback = Callable[[list[float]], None]
MAX_SAVED_LOSSES = 500  # a run's losses kept in the progress file (evenly thinned beyond)
MAX_CHECKED_SETTINGS = 64  # `check` tries at most this many knob combinations


def all_settings(experiment: Experiment) -> list[dict[str, Any]]:
    """Every combination of every knob's samples (choices, or both ends of a range)."""
    names = [k.name for k in experiment.knobs]
    combos = itertools.product(*(k.samples() for k in experiment.knobs))
    return [
        dict(zip(names, values, strict=True))
        for values in itertools.islice(combos, MAX_CHECKED_SETTINGS)
    ]


def thin(values: list[float], limit: int = MAX_SAVED_LOSSES) -> list[float]:
    """At most ``limit`` values, evenly spaced, the last one kept."""
    if len(values) <= limit:
        return list(values)
    step = len(values) / limit
    kept = [values[int(i * step)] for i in range(limit - 1)]
    return [*kept, values[-1]]


def _json_float(value: float) -> float | str:
    return value if math.isfinite(value) else repr(value)  # "nan", "inf" survive strict JSON


@dataclass
class RunOutcome:
    """One run: its settings, the prediction, the outcome the rules gave, and the losses."""

    settings: dict[str, Any]
    predicted: str | None
    outcome: str | None  # None: the code failed, or no rule held
    result: StepResult
    losses: list[float] = field(default_factory=list)
    rule_errors: list[str] = field(default_factory=list)
    replay_failed_at: int | None = None
    save_error: str | None = None

    @property
    def label(self) -> str:
        return knob_label(self.settings)

    @property
    def verdict(self) -> str:
        if self.outcome is None:
            return "none"
        if self.predicted is None:
            return "skipped"
        return "right" if self.predicted == self.outcome else "wrong"


def outcome_of(experiment: Experiment, result: StepResult) -> tuple[str | None, list[str]]:
    """The first outcome whose rule held, and the rules that could not be evaluated."""
    by_id = {c.id: c for c in result.checks}
    errors = [
        f"{c.id}: {c.message}" for c in result.checks if c.passed is False and "raised" in c.message
    ]
    for outcome in experiment.outcomes:
        found = by_id.get(outcome.name)
        if found is not None and found.passed:
            return outcome.name, errors
    return None, errors


class ExperimentSession(PracticeStepSession[ExperimentStep]):
    """The experiment at ``position`` of ``session``'s lesson (a :class:`LessonSession`)."""

    step_type = ExperimentStep
    kind = "an experiment"

    def __init__(
        self, session: Any, position: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(session, position, clock=clock)
        self.experiment: Experiment = self.step.experiment
        self._tried: set[tuple[str, str]] = set()  # (knob, repr(value)) run in this sitting

    def outcome_names(self) -> list[str]:
        """The outcomes in the order the learner is offered them (``show:``, else rule order)."""
        return self.experiment.shown_outcomes()

    def untried(self) -> list[str]:
        """``knob=value`` of each knob value not run yet (this sitting or an earlier one) when
        the experiment asks to try every value before moving on (``try_all``); else []."""
        tried = set(self._tried)
        if self.store is not None and self.experiment.try_all:
            runs = practice_attempts(self.store, self.session.lesson.id, self.step.index)
            tried |= tried_settings(a for a in runs if isinstance(a, ExperimentRunRecord))
        return untried_settings(self.experiment, tried)

    def explain(self, outcome: str) -> str:
        return next((o.explain for o in self.experiment.outcomes if o.name == outcome), "")

    def earlier_runs(self) -> list[tuple[str, list[float]]]:
        """``(label, losses)`` of the runs saved before (the overlay when coming back)."""
        if self.store is None:
            return []
        runs = []
        for attempt in practice_attempts(self.store, self.session.lesson.id, self.step.index):
            if isinstance(attempt, ExperimentRunRecord):
                losses = [float(v) for v in attempt.losses]
                runs.append((knob_label(attempt.settings), losses))
        return runs

    def run(
        self,
        settings: Mapping[str, Any],
        predicted: str | None,
        *,
        on_loss: LossCallback | None = None,
    ) -> RunOutcome:
        """Run with ``settings`` (every knob, each accepted by its knob); ``predicted`` is an
        outcome name or None (skipped)."""
        for knob in self.experiment.knobs:
            if knob.name not in settings or not knob.accepts(settings[knob.name]):
                raise ValueError(f"knob {knob.name!r} has no setting {settings.get(knob.name)!r}")
        if predicted is not None and predicted not in self.outcome_names():
            raise ValueError(f"{predicted!r} is not an outcome of this experiment")
        return self._run(dict(settings), predicted, on_loss)

    def _run(
        self, settings: dict[str, Any], predicted: str | None, on_loss: LossCallback | None
    ) -> RunOutcome:
        run = self.session.run_learner_code(
            self.position,
            lambda worker: run_experiment_code(
                worker, self.step, settings, lesson=self.session.lesson,
                time_limit=self.session.lesson.time_limit, on_loss=on_loss,
            ),
        )  # fmt: skip
        result = run.result
        if not run.ran:
            return RunOutcome(
                settings, predicted, None, result, replay_failed_at=run.replay_failed_at
            )
        outcome, errors = (
            outcome_of(self.experiment, result) if result.error is None else (None, [])
        )
        losses = list(result.training.loss) if result.training is not None else []
        if result.error is None:
            self._tried |= {(k, repr(v)) for k, v in settings.items()}
        run = RunOutcome(settings, predicted, outcome, result, losses, errors)
        if self.store is not None and result.error is None:
            record = ExperimentRun(
                step=self.step.index,
                settings=settings,
                predicted=predicted,
                outcome=outcome,
                seconds=self.seconds(),
                losses=tuple(_json_float(v) for v in thin(losses)),
            )
            run.save_error = self.save("This run could not be saved", attempt=record)
        self.restart_clock()
        return run
