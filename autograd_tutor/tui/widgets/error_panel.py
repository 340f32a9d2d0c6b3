"""``ErrorPanel``: a readable message for a step that could not run (an exception in the
lesson code, a timeout, a crashed or missing worker), with the traceback when there is one."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from autograd_tutor.presentation import error_detail, error_title
from autograd_tutor.safe_text import printable
from autograd_tutor.worker import StepError

ADVICE: dict[str, str] = {
    "Timeout": "Press ctrl+r to run it again, or Esc to go back to the lessons.",
    "WorkerCrashed": "Press ctrl+r to run the step again.",
    "Cancelled": "Press ctrl+r to run it again.",
    "DeviceUnavailable": "Restart the tutor with --device cpu, or check your torch install.",
}


def error_text(error: StepError, *, replay_failed_at: int | None = None) -> Text:
    """Rich text for a ``StepError``."""
    text = Text()
    text.append(printable(error_title(error.type)) + "\n", style="bold")
    if replay_failed_at is not None:
        text.append(
            f"(while re-running step {replay_failed_at + 1} to rebuild the lesson's state)\n",
            style="italic",
        )
    detail = error_detail(error.type, error.message, error.line)
    if detail:
        text.append(printable(detail, keep_newlines=True) + "\n")
    if error.traceback and error.traceback.strip():
        text.append(
            "\n" + printable(error.traceback.rstrip(), keep_newlines=True) + "\n", style="dim"
        )
    text.append(
        "\n"
        + ADVICE.get(error.type, "Read the error, then press ctrl+r to run again or Esc to leave."),
        style="italic",
    )
    return text


class ErrorPanel(Static):
    """Shows one step error; hidden while there is none."""

    DEFAULT_CSS = """
    ErrorPanel {
        height: auto; border: round $error; padding: 0 1; margin: 1 0 0 0;
        border-title-color: $error;
    }
    ErrorPanel.-hidden { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="-hidden")
        self.border_title = "Error"

    def show_error(self, error: StepError | None, *, replay_failed_at: int | None = None) -> None:
        if error is None:
            self.update("")
            self.add_class("-hidden")
            return
        self.update(error_text(error, replay_failed_at=replay_failed_at))
        self.remove_class("-hidden")
