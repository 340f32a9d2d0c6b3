"""The lesson picker: every lesson with its summary, questions, this learner's progress and
score, "changed since you answered" marks, and broken lesson files with their error."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from autograd_tutor.lessons.model import Lesson


def lesson_status(lesson: Lesson, store: Any) -> tuple[str, bool]:
    """``("5 questions · ~10 min · 3/5 answered · score 60%", changed)`` for a lesson, from the
    progress store (the minutes only when the lesson says how long it takes)."""
    total = len(lesson.questions)
    count = f"{total} question" + ("" if total == 1 else "s")
    if lesson.minutes:
        count += f" · ~{lesson.minutes} min"
    if store is None:
        return (count, False)
    progress = store.progress
    credit, answered = progress.score(lesson.id)
    asked = {q.id for q in lesson.questions}
    answered = len(progress.answered_questions(lesson.id) & asked)
    changed = bool(answered) and store.lesson_changed(lesson.id, lesson.content_hash)
    if not answered:
        return (f"{count} · not started", changed)
    percent = round(100 * credit / total) if total else 100
    done = "done" if answered >= total else f"{answered}/{total} answered"
    return (f"{count} · {done} · score {percent}%", changed)


def lesson_prompt(lesson: Lesson, store: Any) -> Text:
    status, changed = lesson_status(lesson, store)
    text = Text()
    text.append(lesson.title, style="bold")
    if changed:
        text.append("  [changed since you answered]", style="bold yellow")
    text.append("\n")
    if lesson.summary:
        text.append(lesson.summary.strip() + "\n", style="")
    text.append(status, style="dim")
    return text


def lesson_detail(lesson: Lesson) -> Text:
    """The steps of a lesson with what each asks (the picker's detail column)."""
    text = Text()
    text.append(lesson.title + "\n", style="bold")
    if lesson.attribution:
        text.append(lesson.attribution.strip() + "\n", style="dim italic")
    for step in lesson.steps:
        text.append(f"\n{step.index + 1}. {step.title or 'Step'}\n", style="bold")
        for question in step.questions:
            text.append(f"   {question.expr} = ?\n")
        if step.training is not None:
            text.append("   (a training run with its loss curve)\n", style="dim")
    return text


def broken_prompt(broken: Any) -> Text:
    text = Text()
    text.append(f"{broken.id}  [broken lesson file]", style="bold red")
    text.append("\n")
    text.append(str(broken.error), style="red")
    return text


class PickerScreen(Screen[None]):
    """Choose a lesson; Enter opens it at the first unanswered step."""

    CSS_PATH = "picker.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("enter", "open", "Open lesson", show=True),
        Binding("r", "restart", "Restart lesson"),
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="whose")
        with Horizontal(id="columns"):
            yield OptionList(id="lessons")
            with VerticalScroll(id="detail-box"):
                yield Static("", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.show_whose()
        self.query_one(OptionList).focus()
        app: Any = self.app
        if app.lessons_loaded:
            self.refresh_lessons()
        else:  # the app reads the lesson files once this frame is painted (App.on_ready)
            self.query_one(OptionList).add_option(
                Option(Text("Loading lessons…", style="dim"), id="loading", disabled=True)
            )

    def on_screen_resume(self) -> None:
        app: Any = self.app
        if app.lessons_loaded:
            self.refresh_lessons()

    def refresh_lessons(self) -> None:
        app: Any = self.app
        store = app.store
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for lesson in app.lessons:
            options.add_option(Option(lesson_prompt(lesson, store), id=f"lesson:{lesson.id}"))
            options.add_option(None)
        for broken in app.broken:
            options.add_option(Option(broken_prompt(broken), id=f"broken:{broken.id}"))
            options.add_option(None)
        if options.option_count:
            options.highlighted = min(highlighted or 0, options.option_count - 1)
        self.show_whose()
        if not app.lessons and not app.broken:
            self.query_one("#whose", Static).update(Text("No lessons found.", style="bold red"))

    def show_whose(self) -> None:
        """Whose progress the picker shows, and where it is kept."""
        app: Any = self.app
        store = app.store
        whose = self.query_one("#whose", Static)
        if store is not None:
            whose.update(
                Text.assemble(
                    ("Progress of ", "dim"),
                    (store.student, "bold"),
                    (f" · kept in {store.path}", "dim"),
                )
            )
        else:
            whose.update(Text("Progress is not being saved.", style="dim"))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the highlighted lesson's steps (the detail column, on wide terminals)."""
        app: Any = self.app
        kind, _, lesson_id = (event.option.id or "").partition(":")
        lesson = app.lesson_by_id(lesson_id) if kind == "lesson" else None
        self.query_one("#detail", Static).update(lesson_detail(lesson) if lesson else "")

    def _selected_lesson_id(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id or ""
        kind, _, lesson_id = option_id.partition(":")
        if kind == "broken":
            self.notify(
                "This lesson file is broken; fix the error shown and restart the tutor.",
                severity="warning",
            )
            return None
        return lesson_id or None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        lesson_id = self._selected_lesson_id()
        if lesson_id is not None:
            self.app.call_later(self.app.open_lesson, lesson_id)  # type: ignore[attr-defined]

    def action_restart(self) -> None:
        lesson_id = self._selected_lesson_id()
        if lesson_id is not None:
            self.app.call_later(self.app.confirm_restart, lesson_id)  # type: ignore[attr-defined]
