"""An experiment step: turn the knobs, predict the outcome, run, and compare the loss curves.

The knobs sit on one line (Tab moves between them, left/right change one); the outcomes to
predict on the next (a number key picks one, ctrl+s skips); every run's loss curve is overlaid
on the earlier ones with a legend; the last run's outcome and verdict sit under the plot. The
run happens in the worker through
:class:`~autograd_tutor.session.experiment.ExperimentSession`, in a thread; Escape cancels it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, Label, Markdown, Static

from autograd_tutor.presentation import error_detail, error_title, lesson_heading, untried_text
from autograd_tutor.safe_text import printable
from autograd_tutor.session import LessonSession
from autograd_tutor.session.experiment import ExperimentSession, RunOutcome
from autograd_tutor.tui.paging import page
from autograd_tutor.tui.screens.step_messages import RunCrashed, RunLoss, StepDone
from autograd_tutor.tui.widgets.keys_footer import KeysFooter
from autograd_tutor.tui.widgets.knob_field import KnobField
from autograd_tutor.tui.widgets.loss_overlay import LossOverlay

VERDICT_STYLES = {"right": "bold green", "wrong": "bold red", "skipped": "bold", "none": "bold"}


class ExperimentScreen(Screen[None]):
    """One experiment step. Runs post ``Ran`` / ``RunCrashed`` from the worker thread."""

    class Ran(Message):
        """A run finished (posted from the worker thread)."""

        def __init__(self, run: RunOutcome) -> None:
            super().__init__()
            self.run = run

    CSS_PATH = "experiment.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    BINDINGS = [
        Binding("ctrl+r", "run", "Run"),
        Binding("ctrl+s", "skip", "Skip"),
        Binding("ctrl+n", "next", "Next step"),
        Binding("escape", "escape", "Back"),
        Binding("ctrl+o", "app.step_list", "Steps"),
        Binding("f1", "app.help", "Help"),
        Binding("pageup", "scroll_brief(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_brief(1)", "Scroll down", show=False),
        *[Binding(str(n), f"predict({n})", show=False) for n in range(1, 10)],
    ]

    busy: reactive[bool] = reactive(False)
    prediction: reactive[str | None] = reactive(None)
    skipped: reactive[bool] = reactive(False)

    def __init__(self, session: LessonSession, position: int, order: Sequence[int]) -> None:
        super().__init__()
        self.finished_runs = 0  # runs whose result is on screen (tests wait on it)
        self.session = session
        self.position = position
        self.order = list(order)
        self.step = session.lesson.steps[position]
        self.experiment = ExperimentSession(session, position)

    def compose(self) -> ComposeResult:
        lesson = self.session.lesson
        step = self.step
        yield Header()
        heading = lesson_heading(lesson.title, lesson.variant_label)
        title = f"{heading} · step {self.position + 1} of {len(lesson.steps)} · experiment"
        if step.title:
            title += f" · {step.title}"
        with VerticalScroll(id="brief"):
            yield Label(Text(printable(title), style="bold"), id="step-title")
            brief = step.explain + "\n\nThe code of each run:\n\n```python\n"
            brief += step.code.rstrip("\n") + "\n```\n"
            yield Markdown(brief, id="explain")
        with Horizontal(id="knobs"):
            for knob in self.experiment.experiment.knobs:
                yield KnobField(knob)
        yield Static(self._prediction_text(), id="predict")
        yield LossOverlay(self.experiment.earlier_runs(), id="overlay")
        yield Static(Text("Predict, then ctrl+r runs it.", style="dim"), id="verdict")
        yield Static(self._idle_text(), id="status")
        yield KeysFooter(compact=True)

    def _idle_text(self) -> Text:
        count = len(self.experiment.outcome_names())
        return Text(f"Tab/←→ knobs · 1-{count} predict · ctrl+r run · PgUp/PgDn code", style="dim")

    def on_mount(self) -> None:
        self.session.show(self.position)
        knobs = list(self.query(KnobField))
        if knobs:
            knobs[0].focus()

    def _prediction_text(self) -> Text:
        text = Text(printable(self.experiment.experiment.prompt) + "\n", style="bold")
        for n, name in enumerate(self.experiment.outcome_names(), start=1):
            chosen = name == self.prediction
            text.append(f"{n} ", style="dim")
            text.append(printable(name), style="reverse bold" if chosen else "")
            text.append("  ")
        if self.skipped:
            text.append("(skipped)", style="italic")
        return text

    def watch_prediction(self) -> None:
        if self.is_mounted:
            self.query_one("#predict", Static).update(self._prediction_text())

    watch_skipped = watch_prediction

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("skip", "next", "predict") and self.busy:
            return False
        return True

    # -- keys ----------------------------------------------------------------------------------
    def action_predict(self, number: int) -> None:
        names = self.experiment.outcome_names()
        if 1 <= number <= len(names):
            self.prediction = names[number - 1]
            self.skipped = False

    def action_scroll_brief(self, direction: int) -> None:
        """PgUp/PgDn: the explanation and the code of each run, above the knobs."""
        page(self.query_one("#brief", VerticalScroll), direction)

    def action_skip(self) -> None:
        self.prediction = None
        self.skipped = not self.skipped

    def action_escape(self) -> None:
        if self.busy:
            self.experiment.cancel()
            self.query_one("#status", Static).update(Text("Cancelling…", style="bold"))
            return
        self.dismiss(None)

    def action_next(self) -> None:
        untried = self.experiment.untried()
        if untried:  # the lesson asks for every knob value first (try_all)
            self.query_one("#verdict", Static).update(
                Text(printable(untried_text(untried)), style="bold")
            )
            return
        self.post_message(StepDone(self.session, self.position, self.order))

    def settings(self) -> dict[str, Any]:
        return {field.knob.name: field.value for field in self.query(KnobField)}

    # -- running -------------------------------------------------------------------------------
    def action_run(self) -> None:
        if self.busy:
            return
        if self.prediction is None and not self.skipped:
            count = len(self.experiment.outcome_names())
            self.query_one("#verdict", Static).update(
                Text(
                    f"Predict first: press 1-{count} (or ctrl+s to skip the prediction).",
                    style="bold",
                )
            )
            return
        settings = self.settings()
        overlay = self.query_one("#overlay", LossOverlay)
        overlay.start_run(" ".join(f"{k}={v}" for k, v in settings.items()))
        self.busy = True
        self.run_once(settings, self.prediction)

    def watch_busy(self, busy: bool) -> None:
        if not self.is_mounted:
            return
        status = self.query_one("#status", Static)
        status.set_class(busy, "-busy")
        status.update(
            Text("⏳ Running in torch… (Esc cancels)", style="bold") if busy else self._idle_text()
        )
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="experiment")
    def run_once(self, settings: dict[str, Any], predicted: str | None) -> None:
        try:
            outcome = self.experiment.run(settings, predicted, on_loss=self._loss_from_thread)
        except Exception as exc:  # a bug in the core must not take the app down
            self.post_message(RunCrashed.of(exc))
            return
        self.post_message(self.Ran(outcome))  # thread-safe: the reader never waits on the UI

    def _loss_from_thread(self, values: list[float]) -> None:
        self.post_message(RunLoss(list(values)))  # thread-safe: the reader never waits

    def on_run_loss(self, message: RunLoss) -> None:
        self.query_one("#overlay", LossOverlay).update_run(message.values)

    def on_run_crashed(self, message: RunCrashed) -> None:
        message.stop()
        self.busy = False
        self.finished_runs += 1
        self.query_one("#verdict", Static).update(
            Text.assemble(("Something went wrong inside the tutor: ", "bold"), message.error)
        )

    def on_experiment_screen_ran(self, message: ExperimentScreen.Ran) -> None:
        message.stop()
        run = message.run
        self.busy = False
        self.finished_runs += 1
        overlay = self.query_one("#overlay", LossOverlay)
        overlay.update_run(run.losses)
        self.query_one("#verdict", Static).update(self._verdict_text(run))
        if run.save_error:
            self.notify(run.save_error, severity="error", timeout=15)
        self.prediction = None
        self.skipped = False

    def _verdict_text(self, run: RunOutcome) -> Text:
        error = run.result.error
        if error is not None:
            return Text.assemble(
                (printable(error_title(error.type)), "bold red"),
                "\n",
                printable(error_detail(error.type, error.message, error.line), keep_newlines=True),
            )
        if run.outcome is None:
            return Text("No outcome rule of the lesson matched this run.", style="bold")
        text = Text()
        text.append(f"{printable(run.label)}: ", style="bold")
        text.append(run.outcome, style="bold")
        if run.verdict == "right":
            text.append("  ✓ as you predicted", style=VERDICT_STYLES["right"])
        elif run.verdict == "wrong":
            text.append(f"  ✗ you predicted {run.predicted}", style=VERDICT_STYLES["wrong"])
        else:
            text.append("  (prediction skipped)", style="italic")
        explain = self.experiment.explain(run.outcome)
        if explain:
            text.append("\n" + printable(explain, keep_newlines=True))
        return text
