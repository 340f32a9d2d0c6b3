"""A lesson step: the explanation in a scrollable pane, the code pinned under it and the answer
fields under that (so the code the questions are about, the field being answered and a hint
just bought are all on screen at once), keys for hints, skipping and running; a loss curve
that updates while a training step runs (the explanation and code make room for it then).

The screen receives what it shows (the session, the step's position, the questions to ask) and
says what happened: it posts :class:`StepScreen.Ran` with the outcome once the code ran, and
dismisses itself when the learner leaves. Committing runs ``LessonSession.commit`` in a thread
worker; Escape cancels it."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Label, Static

from autograd_tutor.presentation import lesson_heading
from autograd_tutor.safe_text import printable
from autograd_tutor.session import LessonSession, StepOutcome
from autograd_tutor.tui.paging import page
from autograd_tutor.tui.screens.step_messages import RunCrashed, RunLoss
from autograd_tutor.tui.widgets.code_view import step_code_view
from autograd_tutor.tui.widgets.error_panel import ErrorPanel
from autograd_tutor.tui.widgets.keys_footer import KeysFooter
from autograd_tutor.tui.widgets.lesson_markdown import lesson_markdown
from autograd_tutor.tui.widgets.lesson_side import LessonSide
from autograd_tutor.tui.widgets.loss_plot import LossPlot
from autograd_tutor.tui.widgets.question_field import QuestionField, read_answers

BUSY_DELAY = 0.15  # seconds a step runs before the busy line shows


class StepScreen(Screen[None]):
    """One step of a lesson, before its code has run (or again after its reveal)."""

    CSS_PATH = "step.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("ctrl+r", "run", "Run"),
        Binding("ctrl+t", "hint", "Hint"),
        Binding("ctrl+s", "skip", "Skip"),
        Binding("ctrl+l", "log_scale", "Log scale"),
        Binding("ctrl+g,g", "graph", "Graph"),
        Binding("escape", "escape", "Back"),
        # Enter and Tab move focus at once (priority bindings run before the next key is
        # dispatched), so keys typed in one burst land in the field that had focus.
        Binding("enter", "submit", "Next field", show=False, priority=True),
        Binding("tab", "focus_field(1)", show=False, priority=True),
        Binding("shift+tab", "focus_field(-1)", show=False, priority=True),
        # priority: the answer being typed sits in a scrolling pane of its own, which would take
        # PgUp/PgDn for itself (it follows the focus already)
        Binding("pageup", "scroll_body(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_body(1)", "Scroll down", show=False, priority=True),
        Binding("ctrl+o", "app.step_list", "Steps"),
        Binding("f1", "app.help", "Help"),
    ]

    class Ran(Message):
        """The step's code ran (or failed to): the app shows the reveal."""

        def __init__(self, screen: StepScreen, outcome: StepOutcome) -> None:
            super().__init__()
            self.screen = screen
            self.outcome = outcome

    busy: reactive[bool] = reactive(False)
    _busy_timer: Timer | None = None

    def __init__(
        self,
        session: LessonSession,
        position: int,
        order: Sequence[int],
        *,
        asked: Collection[str] | None = None,
        asked_later: Mapping[int, Collection[str] | None] | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.session = session
        self.position = position
        self.order = list(order)
        self.step = session.lesson.steps[position]
        self.questions = [q for q in self.step.questions if asked is None or q.id in asked]
        self.asked_later = dict(asked_later) if asked_later is not None else None
        self.cursor_blink = cursor_blink
        # True once this step's values were revealed (its questions answered before, or run
        # here): a new run is a retry, and the status says so
        answered = session.answered()
        self.revealed = bool(self.questions) and all(q.id in answered for q in self.questions)

    # -- layout ----------------------------------------------------------------------------

    def title_text(self) -> str:
        lesson = self.session.lesson
        heading = lesson_heading(lesson.title, lesson.variant_label)
        title = f"{heading} · step {self.position + 1} of {len(lesson.steps)}"
        if len(self.order) != len(lesson.steps):
            number = self.order.index(self.position) + 1 if self.position in self.order else 1
            title += f" (retry {number} of {len(self.order)})"
        if self.step.title:
            title += f" · {self.step.title}"
        return printable(title)

    def compose(self) -> ComposeResult:
        step = self.step
        yield Header()
        yield Label(Text(self.title_text(), style="bold"), id="step-title")
        with Container(id="panes"):
            with LessonSide(id="lesson-side"):
                with VerticalScroll(id="lesson-part"):
                    if step.explain:
                        yield Static(lesson_markdown(step.explain), id="explain")
                    if step.training is not None:
                        yield LossPlot(log_scale=step.training.log_scale, id="loss")
                if step.code.strip():
                    # pinned under the explanation, never scrolled away with it: the code a
                    # question is about stays on screen while the learner answers
                    yield step_code_view(step.code, id="code")
            with VerticalScroll(id="answer-part") as answers:
                answers.can_focus = False
                for question in self.questions:
                    yield QuestionField(
                        question,
                        draft=self.session.drafts.get(question.id, ""),
                        blink=self.cursor_blink,
                    )
                yield ErrorPanel(id="error")
        yield Static(self._idle_text(), id="status")
        yield KeysFooter(compact=True)

    def _idle_text(self) -> Text:
        if self.revealed:
            return Text(
                "Already revealed: ctrl+r runs again as a retry (your first try counts)",
                style="dim",
            )
        if self.questions:
            return Text(
                "Predict, then ctrl+r runs the code · ctrl+t hint · ctrl+s skip (I don't know)",
                style="dim",
            )
        return Text("ctrl+r runs the code · Esc back to the lessons", style="dim")

    def on_mount(self) -> None:
        self.session.show(self.position)
        fields = self._fields()
        if fields:
            fields[0].input.focus()
            for field in fields:
                field.show_hints(self.session.hints_shown(field.question.id))
        else:
            self.query_one("#lesson-part").focus()
            self.query_one("#answer-part").display = False
        self.query_one("#lesson-part").scroll_home(animate=False)
        if self.step.graph_open:  # the lesson says: open the graph panel with this step
            self.call_after_refresh(self.action_graph)

    def on_screen_resume(self) -> None:
        self._show_status(self.busy)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_scale":
            return self.step.training is not None
        if action in ("hint", "skip"):
            return bool(self.questions)
        if action in ("focus_field", "submit"):
            return bool(self.questions)
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

    def _focus(self, field: QuestionField) -> None:
        # Screen.set_focus, not Widget.focus (which waits for a later turn): the next key of a
        # burst already goes to this field.
        self.set_focus(field.input, scroll_visible=False)
        self.query_one("#answer-part", VerticalScroll).scroll_to_widget(field, animate=False)

    def action_focus_field(self, direction: int) -> None:
        fields = self._fields()
        current = self._focused_field()
        if not fields or current is None:
            return
        self._focus(fields[(fields.index(current) + direction) % len(fields)])

    def action_submit(self) -> None:
        """Enter: the next field, or run the step from the last one."""
        fields = self._fields()
        current = self._focused_field()
        if current is None:
            return
        i = fields.index(current)
        if i + 1 < len(fields):
            self._focus(fields[i + 1])
        else:
            self.action_run()

    def action_hint(self) -> None:
        field = self._focused_field()
        if field is None or self.busy:
            return
        hint = self.session.next_hint(field.question.id)
        if hint is None:
            self.notify("No more hints for this question.", timeout=3)
            return
        field.show_hints(self.session.hints_shown(field.question.id))
        # the hint just bought is on screen at once (the answer area scrolls, not the lesson)
        self.call_after_refresh(self._show_hints_of, field)

    def _show_hints_of(self, field: QuestionField) -> None:
        answers = self.query_one("#answer-part", VerticalScroll)
        answers.scroll_to_widget(field.hints_box, animate=False)
        answers.scroll_to_widget(field.input, animate=False)

    def action_skip(self) -> None:
        field = self._focused_field()
        if field is None or self.busy:
            return
        field.set_skipped(not field.skipped)
        self.session.drafts.pop(field.question.id, None)
        if field.skipped:
            fields = self._fields()
            i = fields.index(field)
            if i + 1 < len(fields):
                self._focus(fields[i + 1])

    def action_graph(self) -> None:
        from autograd_tutor.tui.screens.graph import open_graph

        open_graph(self)

    def action_log_scale(self) -> None:
        for plot in self.query(LossPlot):
            plot.log_scale = not plot.log_scale

    def action_scroll_body(self, direction: int) -> None:
        page(self.query_one("#lesson-part", VerticalScroll), direction)

    def action_escape(self) -> None:
        if self.busy:
            self.session.cancel()
            self.query_one("#status", Static).update(Text("Cancelling…", style="bold"))
            return
        self.dismiss(None)

    @on(Input.Changed)
    def keep_draft(self, event: Input.Changed) -> None:
        """Every keystroke is kept on the session: leaving the step never loses it."""
        for field in self._fields():
            if event.input is field.input:
                self.session.drafts[field.question.id] = event.value
                self.query_one("#answer-part", VerticalScroll).scroll_to_widget(
                    field, animate=False
                )

    # -- running ------------------------------------------------------------------------------

    def collect_answers(self) -> dict[str, str | None] | None:
        """The typed answers by question id, or None after showing what does not parse."""
        answers, first_bad = read_answers(self._fields())
        if first_bad is not None:
            self._focus(first_bad)
            return None
        return answers

    def action_run(self) -> None:
        """Run, once every field has taken the keys typed before this one: keys go through
        each input's own queue, so a run key typed in the same burst waits for them."""
        inputs = [field.input for field in self._fields()]

        def after(i: int) -> None:
            if i < len(inputs):
                inputs[i].call_later(after, i + 1)
            else:
                self._run_now()

        after(0)

    def _run_now(self) -> None:
        if self.busy:
            return
        answers = self.collect_answers()
        if answers is None:
            return
        self.query_one("#error", ErrorPanel).show_error(None)
        for plot in self.query(LossPlot):
            plot.replace([])
            self.add_class("-training")  # the curve takes the explanation's and code's room
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
            self.remove_class("-training")
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
        """Run the step in a thread (``LessonSession.commit`` blocks on the worker).
        ``post_message`` is thread-safe: the reader thread never waits on the UI."""
        try:
            outcome = self.session.commit(self.position, answers, on_loss=self._loss_from_thread)
        except Exception as exc:  # a bug in the core must not take the app down
            self.post_message(RunCrashed.of(exc))
            return
        self.post_message(self.Ran(self, outcome))

    def _loss_from_thread(self, values: list[float]) -> None:
        self.post_message(RunLoss(list(values)))

    def on_run_loss(self, message: RunLoss) -> None:
        for plot in self.query(LossPlot):
            plot.replace(message.values)  # the worker sends the whole series so far

    def on_run_crashed(self, message: RunCrashed) -> None:
        self.busy = False
        panel = self.query_one("#error", ErrorPanel)
        panel.update(message.text())
        panel.remove_class("-hidden")
        self.query_one("#answer-part", VerticalScroll).scroll_to_widget(panel, top=True)

    @on(Ran)
    def finished(self, message: Ran) -> None:
        """Show a failure here; a step that ran goes up to the app (which shows the reveal)."""
        self.busy = False
        outcome = message.outcome
        error = outcome.result.error
        if error is None:
            self.revealed = True
            self._show_status(False)
            if outcome.save_error:
                self.notify(outcome.save_error, severity="error", timeout=15)
            return  # the message bubbles on to the app
        message.stop()
        panel = self.query_one("#error", ErrorPanel)
        panel.show_error(error, replay_failed_at=outcome.replay_failed_at)
        answers = self.query_one("#answer-part", VerticalScroll)
        answers.display = True
        answers.scroll_to_widget(panel, animate=False, top=True)
        self.notify(f"The step did not finish: {error.type}", severity="error", timeout=4)
