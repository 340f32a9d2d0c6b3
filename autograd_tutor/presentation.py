"""Words and numbers as every interface shows them: verdict labels, step error titles, plurals,
percents, clipped text, aligned tables, and the ``Literal`` vocabularies (``Verdict``,
``StepErrorKind``) that the scorer and the worker client produce and every interface prints.

Plain Python (no Textual, no Rich, no imports from the rest of the package): the TUI,
``--plain``, ``check``, ``list`` and ``report`` all print through these so that a verdict, an
error or a count reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Literal

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
StepErrorKind = Literal[
    "Timeout",
    "WorkerCrashed",
    "Cancelled",
    "DeviceUnavailable",
    "WorkerError",
    "ConnectionBroken",
    "MemoryLimit",
    "LessonCodeFailed",
]
STEP_ERROR_KINDS: tuple[StepErrorKind, ...] = (
    "Timeout",
    "WorkerCrashed",
    "Cancelled",
    "DeviceUnavailable",
    "WorkerError",
    "ConnectionBroken",
    "MemoryLimit",
    "LessonCodeFailed",
)

ERROR_TITLES: dict[str, str] = {
    "Timeout": "The step's code took too long and was stopped",
    "WorkerCrashed": "The torch worker crashed; it restarts by itself on the next run",
    "Cancelled": "Stopped: you cancelled the run",
    "DeviceUnavailable": "torch is not available",
    "WorkerError": "The torch worker failed (a bug in autograd-tutor, not in the lesson)",
    "ConnectionBroken": "Your code broke the connection to the tutor; the run counts as failed",
    "MemoryLimit": "Your code used too much memory and was stopped",
    "LessonCodeFailed": "The lesson's own code failed before yours ran",
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


MESSAGE_SHOWN = 200  # characters of torch's message shown beside an error answer


def torch_says(display: str, error_message: str = "") -> str:
    """torch's value as a reveal words it: its display (``raises RuntimeError``), and for an
    error answer torch's own message after it, on one line, clipped to
    :data:`MESSAGE_SHOWN` characters."""
    if not error_message.strip():
        return display
    return f"{display}: {clip(error_message, MESSAGE_SHOWN)}"


def untried_text(untried: list[str]) -> str:
    """Why an experiment that asks for every knob value does not go on yet."""
    return f"Try every setting before moving on; still to run: {', '.join(untried)}."


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 learner``, ``2 learners``, ``0 hints``; irregular forms through ``plural_form``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def lesson_heading(title: str, variant_label: str = "") -> str:
    """A lesson's title as headings show it, with the learner's numbers of a parameterised
    lesson: ``Backprop by hand [x=2, w=3]``."""
    return f"{title} [{variant_label}]" if variant_label else title


def takes_text(summary: Any) -> str:
    """The takes of a lesson a learner took again with new numbers, one line each:
    ``First time [a=4]: 80% · retake 1 [a=2]: 100% · this time [a=3]``."""
    parts = []
    for take in summary.earlier:
        name = "first time" if take.take == 0 else f"retake {take.take}"
        parts.append(f"{name} [{take.variant_label}]: {take.percent}%")
    now = "this time" if summary.take else "first time"
    parts.append(f"{now} [{summary.lesson.variant_label}]")
    return "Your takes: " + " · ".join(parts)


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


def clip(text: str, width: int) -> str:
    """``text`` on one line (runs of whitespace become one space), cut to ``width`` characters
    with ``…`` as the last one when it is longer."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def aligned_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int] = ()
) -> list[str]:
    """Rows under ``headers`` as aligned lines, the header underlined with dashes; the columns
    numbered in ``right`` are right-aligned. No cell is cut; trailing spaces are dropped."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            if len(cell) > widths[i]:
                widths[i] = len(cell)

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in rows)
    return out


# The scorer's misconception codes (grading/diagnoses.py, and a lesson's own wrong answers) in
# words, for a teacher's report: a code never reaches a screen or a file a person reads.
MISCONCEPTION_NAMES: dict[str, str] = {
    "known_wrong": "a wrong answer the lesson expects",
    "sign": "sign flipped",
    "accumulation": "gradients accumulated over backward() calls",
    "mean": "mean and sum confused",
    "zero_not_none": "0 where torch gives None",
    "number_not_none": "a number where torch gives None",
    "none_not_gradient": "None where a gradient flows",
    "transposed": "transposed",
    "forward_value": "the forward value, not the gradient",
    "shape": "wrong shape",
    "elements": "some elements wrong",
}


def misconception_names(codes: Sequence[str]) -> str:
    """Misconception codes in words, comma-separated; codes the app does not know (a results
    file may hold any) are left out."""
    return ", ".join(MISCONCEPTION_NAMES[c] for c in codes if c in MISCONCEPTION_NAMES)
