"""The lesson picker: every lesson with its summary, questions, this learner's progress and
score (first tries), "changed since you answered" marks, and broken lesson files with their
error. The app hands it the lessons once they are read (:meth:`PickerScreen.show_lessons`);
it posts :class:`PickerScreen.Open` and :class:`PickerScreen.Restart`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from autograd_tutor.presentation import plural
from autograd_tutor.safe_text import printable

if TYPE_CHECKING:
    from autograd_tutor.lessons.errors import BrokenLesson
    from autograd_tutor.lessons.model import Lesson
    from autograd_tutor.progress import ProgressStore
    from autograd_tutor.session.summary import LessonSummary


def lesson_status(
    lesson: Lesson, store: ProgressStore | None, summary: LessonSummary | None = None
) -> tuple[str, bool]:
    """``("5 questions · ~10 min · 3/5 answered · score 60%", changed)`` from the progress
    store (the minutes only when the lesson says how long it takes); the score counts each
    question's first try. "done" means every question answered and every exercise and
    experiment done. A lesson taken again is shown by its current take (``retake 1: 2/5
    answered``), the earlier takes' scores after it (``before 80%``)."""
    from autograd_tutor.session.summary import lesson_standing

    total = len(lesson.questions)
    count = plural(total, "question")
    if lesson.minutes:
        count += f" · ~{lesson.minutes} min"
    if store is None:
        return (count, False)
    summary = summary or lesson_standing(lesson, store)
    changed = bool(summary.answered) and store.lesson_changed(lesson.id, lesson.content_hash)
    if not summary.started:
        return (f"{count} · not started", changed)
    if summary.finished:
        done = "done"
    elif summary.answered < total:
        done = f"{summary.answered}/{total} answered"
    else:
        left = sum(1 for p in summary.practice if not p.done)
        done = f"{total}/{total} answered, {plural(left, 'step')} to do"
    if summary.take:
        done = f"retake {summary.take}: {done}"
    earlier = ", ".join(f"{t.percent}%" for t in summary.earlier)
    before = f" · before {earlier}" if earlier else ""
    return (f"{count} · {done} · score {summary.percent}%{before}", changed)


def in_progress(
    lessons: Sequence[Lesson],
    store: ProgressStore | None,
    summaries: Sequence[LessonSummary] | None = None,
) -> int:
    """Where the cursor starts (the index among ``lessons``): the lesson answered most
    recently and not finished; else the first lesson not finished; else the first."""
    from autograd_tutor.session.summary import lesson_standing

    if store is None or not lessons:
        return 0
    if summaries is None:
        summaries = [lesson_standing(lesson, store) for lesson in lessons]
    progress = store.progress
    latest: tuple[str, int] | None = None
    first_open: int | None = None
    for i, (lesson, summary) in enumerate(zip(lessons, summaries, strict=True)):
        if summary.finished:
            continue
        if first_open is None:
            first_open = i
        asked = {q.id for q in lesson.questions}
        attempts = [a for a in progress.attempts(lesson.id) if a.question_id in asked]
        if attempts and (latest is None or attempts[-1].timestamp > latest[0]):
            latest = (attempts[-1].timestamp, i)
    if latest is not None:
        return latest[1]
    return first_open or 0


def lesson_prompt(
    lesson: Lesson, store: ProgressStore | None, summary: LessonSummary | None = None
) -> Text:
    status, changed = lesson_status(lesson, store, summary)
    text = Text()
    text.append(printable(lesson.title), style="bold")
    if changed:
        text.append("  [changed since you answered]", style="bold yellow")
    text.append("\n")
    if lesson.summary:
        text.append(printable(lesson.summary.strip(), keep_newlines=True) + "\n", style="")
    text.append(status, style="dim")
    return text


def lesson_detail(lesson: Lesson) -> Text:
    """The steps of a lesson with what each asks (the picker's detail column)."""
    text = Text()
    text.append(printable(lesson.title) + "\n", style="bold")
    if lesson.attribution:
        text.append(printable(lesson.attribution.strip()) + "\n", style="dim italic")
    for step in lesson.steps:
        text.append(
            "\n" + printable(f"{step.index + 1}. {step.title or 'Step'}") + "\n", style="bold"
        )
        for question in step.questions:
            text.append(printable(f"   {question.expr} = ?") + "\n")
        if step.training is not None:
            text.append("   (a training run with its loss curve)\n", style="dim")
    return text


def broken_prompt(broken: BrokenLesson) -> Text:
    text = Text()
    text.append(printable(f"{broken.id}  [broken lesson file]"), style="bold red")
    text.append("\n")
    text.append(printable(str(broken.error), keep_newlines=True), style="red")
    return text


class PickerScreen(Screen[None]):
    """Choose a lesson; Enter opens it at the first unanswered step."""

    CSS_PATH = "picker.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("enter", "open", "Open", key_display="Enter"),
        Binding("r", "restart", "Restart lesson"),
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    class Open(Message):
        """Open this lesson."""

        def __init__(self, lesson_id: str) -> None:
            super().__init__()
            self.lesson_id = lesson_id

    class Restart(Message):
        """Archive this lesson's answers (the app asks first)."""

        def __init__(self, lesson_id: str) -> None:
            super().__init__()
            self.lesson_id = lesson_id

    def __init__(self, store: ProgressStore | None) -> None:
        super().__init__()
        self.store = store
        self.lessons: list[Lesson] = []
        self.broken: list[BrokenLesson] = []
        self.loaded = False
        self._placed = False  # the cursor was put on the lesson in progress

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="whose")
        with Horizontal(id="columns"):
            yield OptionList(id="lessons")
            with VerticalScroll(id="detail-box"):
                yield Static("", id="detail")
        yield Static(
            Text("Enter: open · r: restart a lesson · F1: help · ctrl+q: quit", style="dim"),
            id="status",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.show_whose()
        options = self.query_one(OptionList)
        options.focus()
        if self.loaded:
            self.refresh_lessons()
        else:  # the app reads the lesson files once this frame is painted (App.on_ready)
            options.add_option(
                Option(Text("Loading lessons…", style="dim"), id="loading", disabled=True)
            )

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.refresh_lessons()

    def show_lessons(self, lessons: Sequence[Lesson], broken: Sequence[BrokenLesson]) -> None:
        """The lessons that loaded and the files that did not (from the app)."""
        self.lessons = list(lessons)
        self.broken = list(broken)
        self.loaded = True
        if self.is_mounted:
            self.refresh_lessons()

    def refresh_lessons(self) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        summaries = None
        if self.store is not None:
            from autograd_tutor.session.summary import lesson_standing

            summaries = [lesson_standing(lesson, self.store) for lesson in self.lessons]
        if not self._placed:  # OptionList counts options only, never the separators
            highlighted = in_progress(self.lessons, self.store, summaries)
            self._placed = True
        rows: list[Option | None] = []
        for i, lesson in enumerate(self.lessons):
            summary = summaries[i] if summaries is not None else None
            rows += [Option(lesson_prompt(lesson, self.store, summary), id=f"lesson:{lesson.id}")]
            rows.append(None)
        for broken in self.broken:
            rows += [Option(broken_prompt(broken), id=f"broken:{broken.id}"), None]
        options.clear_options()
        options.add_options(rows)  # one layout for the whole list
        if options.option_count:
            options.highlighted = min(highlighted or 0, options.option_count - 1)
        self.show_whose()
        if not self.lessons and not self.broken:
            self.query_one("#whose", Static).update(Text("No lessons found.", style="bold red"))

    def highlight(self, lesson_id: str) -> None:
        """Put the cursor on a lesson (the one the learner just left)."""
        self._placed = True
        options = self.query_one(OptionList)
        for index in range(options.option_count):
            if options.get_option_at_index(index).id == f"lesson:{lesson_id}":
                options.highlighted = index
                return

    def show_whose(self) -> None:
        """Whose progress the picker shows, and where it is kept."""
        whose = self.query_one("#whose", Static)
        if self.store is not None:
            whose.update(
                Text.assemble(
                    ("Progress of ", "dim"),
                    (printable(self.store.student), "bold"),
                    (printable(f" · kept in {self.store.path}"), "dim"),
                )
            )
        else:
            whose.update(Text("Progress is not being saved.", style="dim"))

    def _lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the highlighted lesson's steps (the detail column, on wide terminals)."""
        kind, _, lesson_id = (event.option.id or "").partition(":")
        lesson = self._lesson(lesson_id) if kind == "lesson" else None
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
        return lesson_id if kind == "lesson" else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        lesson_id = self._selected_lesson_id()
        if lesson_id is not None:
            self.post_message(self.Open(lesson_id))

    def action_restart(self) -> None:
        lesson_id = self._selected_lesson_id()
        if lesson_id is not None:
            self.post_message(self.Restart(lesson_id))
