"""Words and numbers as every interface shows them: verdict labels, step error titles, plurals,
percents, and the ``Literal`` vocabularies (``Verdict``, ``StepErrorKind``) that the scorer and
the worker client produce and every interface prints.

Plain Python (no Textual, no Rich, no imports from the rest of the package): the TUI,
``--plain``, ``check``, ``list`` and ``report`` all print through these so that a verdict, an
error or a count reads the same everywhere.
"""

from __future__ import annotations

from typing import Literal

Verdict = Literal["right", "partial", "wrong", "skipped"]
VERDICTS: tuple[Verdict, ...] = ("right", "partial", "wrong", "skipped")

VERDICT_LABELS: dict[str, str] = {
    "right": "right",
    "partial": "partly right",
    "wrong": "wrong",
    "skipped": "skipped",
}

# The errors the worker client reports itself; any other ``StepError.type`` is the name of the
# Python exception that the lesson's code raised (``ValueError``, ``RuntimeError``, ...).
StepErrorKind = Literal["Timeout", "WorkerCrashed", "Cancelled", "DeviceUnavailable", "WorkerError"]
STEP_ERROR_KINDS: tuple[StepErrorKind, ...] = (
    "Timeout",
    "WorkerCrashed",
    "Cancelled",
    "DeviceUnavailable",
    "WorkerError",
)

ERROR_TITLES: dict[str, str] = {
    "Timeout": "The step's code took too long and was stopped",
    "WorkerCrashed": "The torch worker crashed; it restarts by itself on the next run",
    "Cancelled": "Stopped: you cancelled the run",
    "DeviceUnavailable": "torch is not available",
    "WorkerError": "The torch worker failed (a bug in autograd-tutor, not in the lesson)",
}


def verdict_label(verdict: str) -> str:
    """``partial`` -> ``partly right``; an unknown verdict as it is."""
    return VERDICT_LABELS.get(verdict, verdict)


def error_title(error_type: str) -> str:
    """The heading for a step that could not run: the title of one of the client's own
    :data:`StepErrorKind` s, else "The step's code raised ValueError"."""
    return ERROR_TITLES.get(error_type, f"The step's code raised {error_type}")


def error_detail(error_type: str, message: str, line: int | None = None) -> str:
    """The line under an error's title: the exception, where and what
    (``NameError (line 3): name 'w' is not defined``); for the client's own
    :data:`StepErrorKind` s (the title says which) just what happened."""
    where = f" (line {line})" if line else ""
    if error_type in STEP_ERROR_KINDS:
        return f"{message}{where}".strip()
    return f"{error_type}{where}: {message}".strip()


def expect_warning(lesson_id: str, question_id: str, differs: str) -> str:
    """What a learner is told when the lesson's ``expect`` is not torch's value: the lesson is
    at fault, the answer was scored against torch, and the teacher's fix."""
    return (
        f"The lesson is wrong here, not you: lesson {lesson_id!r}, question {question_id}: its "
        f"expect disagrees with torch ({differs}). You were scored against torch. "
        f"Teacher: run autograd-tutor check on the lesson."
    )


def untried_text(untried: list[str]) -> str:
    """Why an experiment that asks for every knob value does not go on yet."""
    return f"Try every setting before moving on; still to run: {', '.join(untried)}."


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 learner``, ``2 learners``, ``0 hints``; irregular forms through ``plural_form``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def percent(fraction: float) -> str:
    """A share as a whole percent: ``0.756`` -> ``76%``."""
    return f"{round(100 * fraction)}%"


def exercise_standing_text(status: str, runs: int) -> str:
    """An exercise in a lesson summary: ``passed, 3 runs``; ``not yet, not run``."""
    return f"{status}, {plural(runs, 'run') if runs else 'not run'}"


def experiment_standing_text(runs: int, predictions: int, right: int) -> str:
    """An experiment in a lesson summary: ``4 runs, 2 of 3 predictions right``."""
    if not runs:
        return "not run yet"
    if not predictions:
        return f"{plural(runs, 'run')}, every prediction skipped"
    return f"{plural(runs, 'run')}, {right} of {plural(predictions, 'prediction')} right"


def practice_counts_text(exercises: int, experiments: int) -> str:
    """What ``list`` says about a lesson's practice steps: ``1 exercise, 2 experiments``."""
    parts = []
    if exercises:
        parts.append(plural(exercises, "exercise"))
    if experiments:
        parts.append(plural(experiments, "experiment"))
    return ", ".join(parts)
