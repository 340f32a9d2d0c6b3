"""A lesson step: the explanation (Markdown), the code (Python highlighting), one input per
question, keys for hints, skipping and running; a loss curve that updates while a training step
runs. Committing runs ``LessonSession.commit`` in a thread worker; Escape cancels it."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Label, Markdown, Static, TextArea

from autograd_tutor.grading import AnswerSyntaxError, parse_answer
from autograd_tutor.tui.widgets.error_panel import ErrorPanel
from autograd_tutor.tui.widgets.loss_plot import LossPlot
from autograd_tutor.tui.widgets.question_field import QuestionField

BUSY_DELAY = 0.15  # seconds a step runs before the busy line shows


class LossPoints(Message):
    """Losses reported by the running step (posted from the worker thread)."""

    def __init__(self, values: list[float]) -> None:
        super().__init__()
        self.values = values


class StepScreen(Screen[None]):
    """One step of a lesson, before its code has run."""

    CSS_PATH = "step.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("ctrl+r", "run", "Run"),
        Binding("ctrl+t", "hint", "Hint"),
        Binding("ctrl+s", "skip", "Skip"),
        Binding("ctrl+l", "log_scale", "Log scale"),
        Binding("ctrl+g,g", "graph", "Graph"),
        Binding("escape", "escape", "Back"),
        Binding("pageup", "scroll_body(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_body(1)", "Scroll down", show=False),
        Binding("f1", "app.help", "Help"),
    ]

    busy: reactive[bool] = reactive(False)
    _busy_timer: Timer | None = None

    def __init__(self, session: Any, position: int, order: Sequence[int]) -> None:
        super().__init__()
        self.session = session
        self.position = position
        self.order = list(order)
        self.step = session.lesson.steps[position]

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lesson = self.session.lesson
        step = self.step
        app: Any = self.app
        yield Header()
        number = self.order.index(self.position) + 1 if self.position in self.order else 1
        title = f"{lesson.title} · step {self.position + 1} of {len(lesson.steps)}"
        if len(self.order) != len(lesson.steps):
            title += f" (retry {number} of {len(self.order)})"
        if step.title:
            title += f" · {step.title}"
        with VerticalScroll(id="body"):
            with Vertical(id="lesson-part"):
                yield Label(Text(title, style="bold"), id="step-title")
                if step.explain:
                    yield Markdown(step.explain, id="explain")
                if step.code.strip():
                    code = TextArea(
                        step.code.rstrip("\n"),
                        language="python",
                        read_only=True,
                        show_line_numbers=True,
                        soft_wrap=True,
                        id="code",
                    )
                    code.cursor_blink = False
                    code.can_focus = False
                    yield code
                if step.training is not None:
                    yield LossPlot(log_scale=step.training.log_scale, id="loss")
            with Vertical(id="answer-part"):
                for question in step.questions:
                    yield QuestionField(question, blink=app.cursor_blink)
                yield ErrorPanel(id="error")
        yield Static(self._idle_text(), id="status")
        yield Footer()

    def _idle_text(self) -> Text:
        if self.step.questions:
            return Text(
                "Predict, then ctrl+r runs the code · ctrl+t hint · ctrl+s skip (I don't know)",
                style="dim",
            )
        return Text("ctrl+r runs the code · Esc back to the lessons", style="dim")

    def on_mount(self) -> None:
        self.session.show(self.position)
        fields = list(self.query(QuestionField))
        if fields:
            # The step opens at its top (the explanation comes first); typing brings the
            # field into view (on_input_changed).
            fields[0].input.focus(scroll_visible=False)
            for field in fields:
                field.show_hints(self.session.hints_shown(field.question.id))
        else:
            self.query_one("#body").focus()
        if self.step.graph_open:  # the lesson says: open the graph panel with this step
            self.call_after_refresh(self.action_graph)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_scale":
            return self.step.training is not None
        if action in ("hint", "skip"):
            return bool(self.step.questions)
        return True

    # -- keys --------------------------------------------------------------------------------

    def _fields(self) -> list[QuestionField]:
        return list(self.query(QuestionField))

    def _focused_field(self) -> QuestionField | None:
        focused = self.focused
        for field in self._fields():
            if focused is not None and field in focused.ancestors_with_self:
                return field
        fields = self._fields()
        return fields[0] if fields else None

    def action_hint(self) -> None:
        field = self._focused_field()
        if field is None or self.busy:
            return
        hint = self.session.next_hint(field.question.id)
        if hint is None:
            self.notify("No more hints for this question.", timeout=3)
            return
        field.show_hints(self.session.hints_shown(field.question.id))

    def action_skip(self) -> None:
        field = self._focused_field()
        if field is None or self.busy:
            return
        field.set_skipped(not field.skipped)
        if field.skipped:
            self._focus_next(field)

    def _focus_next(self, field: QuestionField) -> None:
        fields = self._fields()
        i = fields.index(field)
        if i + 1 < len(fields):
            fields[i + 1].input.focus()

    def action_graph(self) -> None:
        from autograd_tutor.tui.screens.graph import open_graph

        open_graph(self)

    def action_log_scale(self) -> None:
        for plot in self.query(LossPlot):
            plot.log_scale = not plot.log_scale

    def action_scroll_body(self, direction: int) -> None:
        body = self.query_one("#body", VerticalScroll)
        if direction < 0:
            body.scroll_page_up()
        else:
            body.scroll_page_down()

    def action_escape(self) -> None:
        if self.busy:
            self.session.cancel()
            self.query_one("#status", Static).update(Text("Cancelling…", style="bold"))
            return
        self.app.pop_screen()

    def on_input_changed(self, event: Input.Changed) -> None:
        field = self._focused_field()
        if field is not None:
            self.query_one("#body", VerticalScroll).scroll_to_widget(field, animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = self._fields()
        for i, field in enumerate(fields):
            if event.input is field.input:
                if i + 1 < len(fields):
                    fields[i + 1].input.focus()
                else:
                    self.action_run()
                return

    # -- running ------------------------------------------------------------------------------

    def collect_answers(self) -> dict[str, str | None] | None:
        """The typed answers by question id, or None after showing what does not parse."""
        answers: dict[str, str | None] = {}
        first_bad: QuestionField | None = None
        for field in self._fields():
            qid = field.question.id
            if field.skipped:
                answers[qid] = None
                continue
            text = field.text.strip()
            if not text:
                field.show_error("Type your prediction, or press ctrl+s to skip this question.")
                first_bad = first_bad or field
                continue
            try:
                parse_answer(text)
            except AnswerSyntaxError as exc:
                field.show_error(exc.pretty())
                first_bad = first_bad or field
                continue
            field.show_error("")
            answers[qid] = text
        if first_bad is not None:
            first_bad.input.focus()
            return None
        return answers

    def action_run(self) -> None:
        if self.busy:
            return
        answers = self.collect_answers()
        if answers is None:
            return
        self.query_one("#error", ErrorPanel).show_error(None)
        for plot in self.query(LossPlot):
            plot.replace([])
        self.busy = True
        self.commit(answers)

    def watch_busy(self, busy: bool) -> None:
        # Most steps finish in a few milliseconds: the busy line shows only for a step still
        # running after BUSY_DELAY, so fast steps neither flicker nor pay for a repaint.
        if self._busy_timer is not None:
            self._busy_timer.stop()
            self._busy_timer = None
        if busy:
            self._busy_timer = self.set_timer(BUSY_DELAY, self._show_busy)
        else:
            self._show_status(False)

    def _show_busy(self) -> None:
        self._busy_timer = None
        if self.busy:
            self._show_status(True)

    def _show_status(self, busy: bool) -> None:
        status = self.query_one("#status", Static)
        # Only the status line changes: restyling inputs or recomposing the footer would cost
        # more than the whole run of a small step.
        status.set_class(busy, "-busy")
        if busy:
            status.update(Text("⏳ Running the step in torch… (Esc cancels)", style="bold"))
        else:
            status.update(self._idle_text())

    @work(thread=True, exclusive=True, group="commit")
    def commit(self, answers: dict[str, str | None]) -> None:
        """Run the step in a thread (``LessonSession.commit`` blocks on the worker)."""
        try:
            outcome = self.session.commit(self.position, answers, on_loss=self._loss_from_thread)
        except Exception as exc:  # a bug in the core must not take the app down
            detail = "".join(traceback.format_exception(exc))
            self.app.call_from_thread(self._crashed, f"{type(exc).__name__}: {exc}", detail)
            return
        self.app.call_from_thread(self._finished, outcome)

    def _loss_from_thread(self, values: list[float]) -> None:
        self.app.call_from_thread(self.post_message, LossPoints(list(values)))

    def on_loss_points(self, message: LossPoints) -> None:
        for plot in self.query(LossPlot):
            plot.replace(message.values)  # the worker sends the whole series so far

    def _crashed(self, message: str, detail: str) -> None:
        self.busy = False
        self.query_one("#error", ErrorPanel).update(
            Text.assemble(
                ("Something went wrong inside the tutor\n", "bold"),
                message,
                "\n\n",
                (detail, "dim"),
            )
        )
        self.query_one("#error", ErrorPanel).remove_class("-hidden")

    def _finished(self, outcome: Any) -> None:
        self.busy = False
        error = outcome.result.error
        if error is not None:
            panel = self.query_one("#error", ErrorPanel)
            panel.show_error(error, replay_failed_at=outcome.replay_failed_at)
            self.query_one("#body", VerticalScroll).scroll_to_widget(panel)
            self.notify(f"The step did not finish: {error.type}", severity="error", timeout=4)
            return
        if outcome.save_error:
            self.notify(outcome.save_error, severity="error", timeout=15)
        app: Any = self.app
        app.show_reveal(self, outcome)
