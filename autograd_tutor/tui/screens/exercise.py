"""An exercise step: the learner writes code in an editor and runs it with the lesson's checks.

The task (explanation, the setup code that runs first, the checks) sits over the editor (Python
highlighting, line numbers, Tab indents); the verdicts of the latest run and the loss plot of a
training exercise are the results. From 140x36 up all three are on screen side by side; smaller,
the editor shows the task's first lines and F4 / F5 show the task / the results in full (a run
opens the results; Esc goes back to the code). The code runs in the worker through
:class:`~autograd_tutor.session.exercise.ExerciseSession` in a thread, never in the UI; Escape
cancels a run, and the editor keeps the code whatever happened to the run. The code is saved
with the learner's progress when it runs, when the learner leaves, and a moment after typing.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Label, Static, TextArea

from autograd_tutor.presentation import lesson_heading, plural
from autograd_tutor.safe_text import printable
from autograd_tutor.session import LessonSession
from autograd_tutor.session.exercise import ExerciseOutcome, ExerciseSession
from autograd_tutor.tui.screens.step_messages import RunCrashed, RunLoss, StepDone
from autograd_tutor.tui.widgets.check_list import CheckList
from autograd_tutor.tui.widgets.code_view import step_code_view
from autograd_tutor.tui.widgets.lesson_markdown import lesson_markdown
from autograd_tutor.tui.widgets.loss_plot import LossPlot

AUTOSAVE_DELAY = 2.0  # seconds after the last keystroke


class ExerciseScreen(Screen[None]):
    """One exercise step. Runs post ``Ran`` / ``RunCrashed`` from the worker thread (to this
    screen); F3 posts ``ShowSolution``, and the app opens the solution screen."""

    class Ran(Message):
        """A run finished (posted from the worker thread)."""

        def __init__(self, outcome: ExerciseOutcome) -> None:
            super().__init__()
            self.outcome = outcome

    class ShowSolution(Message):
        """The learner asked for the reference solution: the app shows it."""

        def __init__(self, solution: str, title: str) -> None:
            super().__init__()
            self.solution = solution
            self.title = title

    CSS_PATH = "exercise.tcss"
    # 140 columns and 36 rows or more: the task, the editor and the results side by side;
    # smaller, one view at a time (the code with the task's first lines, the task, the results)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    BINDINGS = [
        # the footer at 80 columns: run, the two ways to replace the code, the views, help
        Binding("ctrl+r", "run", "Run"),
        Binding("f2", "reset", "Starter"),
        Binding("ctrl+a", "select_all", "Select all", priority=True),
        Binding("f4", "view('task')", "Task"),
        Binding("f5", "view('results')", "Results"),
        Binding("f3", "solution", "Solution", show=False),
        Binding("ctrl+o", "app.step_list", "Steps", show=False),
        Binding("f1", "app.help", "Help"),
        Binding("ctrl+n", "next", "Next step", show=False),
        Binding("ctrl+l", "log_scale", "Log scale", show=False),
        Binding("escape", "escape", "Back", show=False),
    ]

    busy: reactive[bool] = reactive(False)
    view: reactive[str] = reactive("code")  # code, task or results (one at a time when small)
    _autosave: Timer | None = None

    def __init__(self, session: LessonSession, position: int, order: Sequence[int]) -> None:
        super().__init__()
        self.finished_runs = 0  # runs whose result is on screen (tests wait on it)
        self.session = session
        self.position = position
        self.order = list(order)
        self.step = session.lesson.steps[position]
        self.exercise = ExerciseSession(session, position)
        self._saved_code: str | None = None

    def compose(self) -> ComposeResult:
        lesson = self.session.lesson
        step = self.step
        yield Header()
        heading = lesson_heading(lesson.title, lesson.variant_label)
        title = f"{heading} · step {self.position + 1} of {len(lesson.steps)} · exercise"
        if step.title:
            title += f" · {step.title}"
        yield Label(Text(printable(title), style="bold"), id="step-title")
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                with VerticalScroll(id="brief"):
                    if step.explain.strip():
                        yield Static(lesson_markdown(step.explain), id="explain")
                    if step.code.strip():
                        yield Label(Text("This runs first, before your code:", style="dim"))
                        yield step_code_view(step.code, id="setup", line_numbers=False)
                    yield Static(self._check_names(), id="check-names")
                code = self.exercise.initial_code()
                self._saved_code = code
                self._run_code = code  # the code as it last ran (or as it was loaded)
                editor = TextArea.code_editor(
                    code.rstrip("\n") + "\n",
                    language="python",
                    id="editor",
                    soft_wrap=False,
                )
                editor.tab_behavior = "indent"
                yield editor
            with Vertical(id="results"):
                with VerticalScroll(id="checks-pane"):
                    yield CheckList(self._first_hint(), id="checks")
                if step.training is not None:
                    yield LossPlot(log_scale=step.training.log_scale, id="loss")
        yield Static(self._idle_text(), id="status")
        yield Footer(compact=True)

    def _check_names(self) -> Text:
        checks = self.exercise.exercise.checks
        text = Text(f"ctrl+r runs your code, then {plural(len(checks), 'check')}:\n", style="dim")
        for check in checks:
            text.append("  · " + printable(check.title or check.id) + "\n")
        return text

    def _first_hint(self) -> Text:
        count = len(self.exercise.exercise.checks)
        return Text(
            f"Fill in the # TODO lines, then ctrl+r runs your code and {count} checks.",
            style="dim",
        )

    def _idle_text(self) -> Text:
        if self.view == "task":
            return Text("The task in full · F4 or Esc: back to your code", style="dim")
        if self.view == "results":
            return Text("The latest run · F5 or Esc: back to your code", style="dim")
        return Text(
            "ctrl+r run · F4 task · F5 results · F2 starter code · F3 solution", style="dim"
        )

    def on_mount(self) -> None:
        self.session.show(self.position)
        self.watch_view(self.view)
        self.query_one("#editor", TextArea).focus()

    @property
    def side_by_side(self) -> bool:
        return self.has_class("-wide") and self.has_class("-tall")

    def watch_view(self, view: str) -> None:
        """Small screens show one view: the code (with the task's first lines), the task in
        full, or the results (the checks, then the loss plot)."""
        for name in ("code", "task", "results"):
            self.set_class(view == name, f"-view-{name}")
        if not self.is_mounted:
            return
        if not self.busy:
            self.query_one("#status", Static).update(self._idle_text())
        if view == "code":
            self.editor.focus()
        elif view == "task":
            self.query_one("#brief").focus()
        else:
            self.query_one("#checks-pane").focus()
        self.refresh_bindings()

    def action_view(self, view: str) -> None:
        self.view = "code" if self.view == view else view

    def action_select_all(self) -> None:
        self.view = "code"
        self.editor.focus()
        self.editor.select_all()

    @property
    def editor(self) -> TextArea:
        return self.query_one("#editor", TextArea)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_scale":
            return self.step.training is not None
        if action == "view":
            return not self.side_by_side
        if action in ("reset", "solution", "next") and self.busy:
            return False
        return True

    # -- saving --------------------------------------------------------------------------------
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(AUTOSAVE_DELAY, self.save_code)

    def save_code(self) -> None:
        """Save the editor's code when it changed since the last save."""
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        code = self.editor.text
        if code == self._saved_code:
            return
        error = self.exercise.save_code(code)
        if error:
            self.notify(error, severity="error", timeout=10)
        else:
            self._saved_code = code

    def has_unrun_edits(self) -> bool:
        """True when the editor holds code edited since it last ran (or was loaded)."""
        return self.editor.text.rstrip() != self._run_code.rstrip()

    def on_unmount(self) -> None:
        try:
            self.save_code()
        except Exception:  # noqa: S110  the widgets may already be gone at app exit
            pass

    # -- keys ----------------------------------------------------------------------------------
    def action_reset(self) -> None:
        self.view = "code"
        editor = self.editor
        # an edit like any other (not load_text, which forgets the history): ctrl+z undoes it
        editor.replace(
            self.exercise.exercise.starter.rstrip("\n") + "\n", (0, 0), editor.document.end
        )
        self.notify("Back to the starter code (ctrl+z undoes this).", timeout=3)
        self.editor.focus()

    def action_solution(self) -> None:
        if not self.exercise.may_show_solution():
            self.notify(
                "Run your code first: the solution opens after a run (it then counts as skipped"
                " unless you passed).",
                timeout=5,
            )
            return
        passed = self.exercise.ever_passed()
        solution, error = self.exercise.show_solution(self.editor.text)
        if error:
            self.notify(error, severity="error", timeout=10)
        elif not passed:
            self.notify("Solution shown: this exercise counts as skipped.", timeout=4)
        self.post_message(self.ShowSolution(solution, self.step.title or "Solution"))

    def action_log_scale(self) -> None:
        for plot in self.query(LossPlot):
            plot.log_scale = not plot.log_scale

    def action_escape(self) -> None:
        if self.busy:
            self.exercise.cancel()
            self.query_one("#status", Static).update(Text("Cancelling…", style="bold"))
            return
        if self.view != "code":
            self.view = "code"
            return
        self.save_code()
        self.dismiss(None)

    def action_next(self) -> None:
        self.save_code()
        self.post_message(StepDone(self.session, self.position, self.order))

    # -- running -------------------------------------------------------------------------------
    def action_run(self) -> None:
        if self.busy:
            return
        for plot in self.query(LossPlot):
            plot.replace([])
        self.busy = True
        code = self._run_code = self.editor.text
        if self.step.training is not None:
            self.view = "results"  # the loss streams in while the code runs
        self.run_code(code)

    def watch_busy(self, busy: bool) -> None:
        if not self.is_mounted:
            return
        self.editor.read_only = busy  # Esc then reaches the screen: it cancels the run
        status = self.query_one("#status", Static)
        status.set_class(busy, "-busy")
        if busy:
            status.update(Text("⏳ Running your code in torch… (Esc cancels)", style="bold"))
        else:
            status.update(self._idle_text())
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="exercise")
    def run_code(self, code: str) -> None:
        try:
            outcome = self.exercise.run(code, on_loss=self._loss_from_thread)
        except Exception as exc:  # a bug in the core must not take the app down
            self.post_message(RunCrashed.of(exc))
            return
        self.post_message(self.Ran(outcome))  # thread-safe: the reader never waits on the UI

    def _loss_from_thread(self, values: list[float]) -> None:
        self.post_message(RunLoss(list(values)))  # thread-safe: the reader never waits

    def on_run_loss(self, message: RunLoss) -> None:
        for plot in self.query(LossPlot):
            plot.replace(message.values)

    def on_run_crashed(self, message: RunCrashed) -> None:
        message.stop()
        self.busy = False
        self.finished_runs += 1
        self.query_one("#checks", CheckList).update(message.text())

    def on_exercise_screen_ran(self, message: ExerciseScreen.Ran) -> None:
        message.stop()
        outcome = message.outcome
        self.busy = False
        self.finished_runs += 1
        self._saved_code = outcome.code if outcome.save_error is None else self._saved_code
        self.query_one("#checks", CheckList).show(outcome)
        self.query_one("#checks-pane", VerticalScroll).scroll_home(animate=False)
        training = outcome.result.training
        if training is not None:
            for plot in self.query(LossPlot):
                plot.replace(training.loss)
        if outcome.save_error:
            self.notify(outcome.save_error, severity="error", timeout=15)
        line = outcome.result.error.line if outcome.result.error is not None else None
        if line and outcome.replay_failed_at is None:
            self.editor.cursor_location = (max(0, line - 1), 0)
        self.view = "results"
        if outcome.passed:  # on the status line: a notification would cover the plot
            self.query_one("#status", Static).update(
                Text("All checks passed · ctrl+n next step · F3 the reference solution", "bold")
            )
