"""``CheckList``: an exercise run's verdicts: a tally, the error if the code stopped, one line
per check (passed, failed with what is wrong, or not checked), and what the code printed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from autograd_tutor.presentation import error_detail, error_title, plural
from autograd_tutor.safe_text import printable

CHECK_STYLES: dict[bool | None, str] = {True: "bold green", False: "bold red", None: "bold"}
OUTPUT_LINES = 6  # the last lines of printed output shown under the checks


def checks_text(outcome: Any) -> Text:
    """Rich text for an ``ExerciseOutcome``."""
    text = Text()
    result = outcome.result
    passed = sum(1 for c in outcome.checks if c.passed)
    if outcome.checks and outcome.passed:
        text.append(f"All {plural(len(outcome.checks), 'check')} passed.\n", style="bold green")
    elif outcome.checks:
        text.append(f"{passed} of {plural(len(outcome.checks), 'check')} passed.\n", style="bold")
    error = result.error
    if error is not None:
        text.append(printable(error_title(error.type)), style="bold red")
        if outcome.replay_failed_at is not None:
            text.append(f" (while setting up step {outcome.replay_failed_at + 1})", style="italic")
        detail = error_detail(error.type, error.message, error.line)
        text.append("\n" + printable(detail, keep_newlines=True) + "\n")
    for check in outcome.checks:
        text.append(check.label, style=CHECK_STYLES[check.passed])
        if check.passed:
            text.append("  " + check.check.title + "\n")
        else:
            text.append("  " + printable(check.message, keep_newlines=True) + "\n")
    printed = result.stdout.rstrip("\n")
    if printed:
        lines = printed.splitlines()
        text.append("Out:\n", style="dim")
        if len(lines) > OUTPUT_LINES:
            text.append(f"[... {len(lines) - OUTPUT_LINES} lines above]\n", style="dim")
        text.append(printable("\n".join(lines[-OUTPUT_LINES:]), keep_newlines=True))
    return text


class CheckList(Static):
    """The verdicts of the latest run; a hint before the first."""

    def show(self, outcome: Any) -> None:
        self.update(checks_text(outcome))
