"""``AutogradTutorApp``: the Textual app. It paints the lesson picker at once, lists the lessons,
then starts the torch worker in a thread (the header says where torch runs once it is ready),
and moves the learner through picker -> step -> reveal -> summary. (Over 400 lines on purpose:
the one place that pushes and pops screens; each screen is its own module.)

Data down, messages up: screens receive what they show and post messages (``PickerScreen.Open``,
``PickerScreen.Restart``, ``StepScreen.Ran``, ``StepDone``, ``OpenGraph``,
``ExerciseScreen.ShowSolution``) or dismiss with a result; only the app pushes and pops screens.
Threads (torch start-up, runs, graph fetches) post messages (thread-safe) and never wait on
the UI. Screens live in ``screens/`` (each beside its ``.tcss``), widgets in ``widgets/``;
the predict/run/score/record loop is ``autograd_tutor.session.LessonSession``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen

from autograd_tutor.presentation import lesson_heading
from autograd_tutor.safe_text import printable
from autograd_tutor.tui.screens.picker import PickerScreen

if TYPE_CHECKING:
    from autograd_tutor.lessons.errors import BrokenLesson
    from autograd_tutor.lessons.model import Lesson
    from autograd_tutor.progress import ProgressStore
    from autograd_tutor.session import LessonSession
    from autograd_tutor.tui.screens.exercise import ExerciseScreen
    from autograd_tutor.tui.screens.graph import OpenGraph
    from autograd_tutor.tui.screens.step import StepScreen
    from autograd_tutor.tui.screens.step_messages import StepDone
    from autograd_tutor.worker import WorkerClient, WorkerInfo

# The lesson loader, the other screens and the session core behind them are imported when first
# needed, so the first frame is painted about as early as a minimal Textual app paints its own.

THEMES: dict[str, str] = {
    "dark": "textual-dark",
    "light": "textual-light",
    "terminal colours, dark (16-colour ANSI)": "ansi-dark",
    "terminal colours, light (16-colour ANSI)": "ansi-light",
}


class TorchReady(Message):
    """The worker started and imported torch (posted from the start-up thread)."""

    def __init__(self, info: WorkerInfo) -> None:
        super().__init__()
        self.info = info


class TorchFailed(Message):
    """The worker could not start (posted from the start-up thread)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class StoreWarning(Message):
    """A sentence from the progress store (posted from whichever thread the store ran in)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def plain_text(text: object) -> str:
    """Text from outside the app as a notification shows it literally."""
    return escape(printable(text, keep_newlines=True))


class AutogradTutorApp(App[None]):
    """The tutor. ``worker`` and ``store`` may be injected (tests share one warm worker);
    ``settings_path`` is where the theme is remembered (None: not remembered);
    ``lessons_cache`` where the lessons as last read are kept (None: read every start)."""

    CSS_PATH = "app.tcss"
    TITLE = "autograd-tutor"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        lessons_dir: Path | None = None,
        *,
        device: str = "auto",
        memory_limit: int | None = None,
        worker: WorkerClient | None = None,
        store: ProgressStore | None = None,
        open_lessons: Sequence[str] = (),
        cursor_blink: bool = True,
        theme: str | None = None,
        settings_path: Path | None = None,
        lessons_cache: Path | None = None,
    ) -> None:
        super().__init__()
        self.lessons_dir = lessons_dir
        self.lessons_cache = lessons_cache  # where the lessons as last read are kept (None: not)
        self._loaded: tuple[list[Lesson], list[BrokenLesson]] | None = None
        self.store = store
        self.device = device
        self.memory_limit = memory_limit  # --memory-limit: bytes per learner run (None: lesson's)
        self._own_worker = worker is None
        self._worker = worker
        self.worker_info: WorkerInfo | None = None
        self.worker_error: str | None = None
        self.open_queue = list(open_lessons)
        self.cursor_blink = cursor_blink
        self.settings_path = settings_path
        self._sessions: dict[str, LessonSession] = {}
        if store is not None and store.on_warning is None:
            # The store's warnings (a progress file moved aside, a results folder that cannot
            # be written) reach the screen when they happen, from whichever thread saved.
            store.on_warning = self.store_warning
        if theme is None and settings_path is not None:
            from autograd_tutor.settings import load_settings

            theme = load_settings(settings_path).theme
        if theme is not None and theme in self.available_themes:
            self.theme = theme
        self.sub_title = "starting torch…"

    # -- start-up --------------------------------------------------------------------------

    @property
    def lessons_loaded(self) -> bool:
        return self._loaded is not None

    def _load(self) -> tuple[list[Lesson], list[BrokenLesson]]:
        if self._loaded is None:
            from autograd_tutor.lessons.cache import load_lessons_cached

            self._loaded = load_lessons_cached(self.lessons_dir, self.lessons_cache)
        return self._loaded

    @property
    def lessons(self) -> list[Lesson]:
        """The lessons that loaded (read from disk on first use)."""
        return self._load()[0]

    @property
    def broken(self) -> list[BrokenLesson]:
        """Lesson files that did not load (``BrokenLesson``, with the loader's error)."""
        return self._load()[1]

    @property
    def worker(self) -> WorkerClient:
        """The ``WorkerClient`` (made on first use, so its import is not on the first frame)."""
        if self._worker is None:
            from autograd_tutor.worker import WorkerClient

            self._worker = WorkerClient(self.device, memory_limit=self.memory_limit)
        return self._worker

    def on_mount(self) -> None:
        self.push_screen(PickerScreen(self.store))
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def on_ready(self) -> None:
        # Ready comes while Textual still batches the start-up updates, so the first frame is
        # not on the terminal yet; an after-refresh callback runs once it has been written.
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        """The first frame is on the terminal: read the progress and the lessons, list them;
        torch starts once they are listed (its start-up would compete with the listing)."""
        self._load_progress()
        for screen in self.screen_stack:
            if isinstance(screen, PickerScreen):
                screen.show_lessons(self.lessons, self.broken)
        self.call_after_refresh(self._after_lessons_listed)

    def _after_lessons_listed(self) -> None:
        """The lessons are on the terminal: start torch, open the lessons named on the
        command line."""
        self.start_torch()
        if self.open_queue:
            self._open_next_queued()

    def store_warning(self, text: str) -> None:
        """The progress store's ``on_warning``: shown as a notification when it happens (safe
        to call from any thread)."""
        self.post_message(StoreWarning(text))

    @on(StoreWarning)
    def _notify_store_warning(self, message: StoreWarning) -> None:
        self.notify(plain_text(message.text), severity="warning", timeout=15)

    def _load_progress(self) -> None:
        """Load the progress now: the first load is what may move a corrupt file aside, and
        its warning shows at once."""
        if self.store is not None:
            self.store.progress  # noqa: B018

    @work(thread=True, exclusive=True, group="torch")
    def start_torch(self) -> None:
        """Start the worker process and wait until torch is imported (in a thread)."""
        from autograd_tutor.worker import WorkerUnavailable

        try:
            self.worker.start()
            info = self.worker.wait_ready()
        except WorkerUnavailable as exc:
            self.post_message(TorchFailed(str(exc)))
            return
        except Exception as exc:  # keep the app usable whatever the start-up did
            self.post_message(TorchFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(TorchReady(info))  # thread-safe: the thread never waits on the UI

    @on(TorchReady)
    def _torch_ready(self, message: TorchReady) -> None:
        info = self.worker_info = message.info
        where = info.device_name if info.device != "cpu" and info.device_name else info.device
        self.sub_title = f"torch {info.torch_version} on {where}"

    @on(TorchFailed)
    def _torch_failed(self, failed: TorchFailed) -> None:
        message = self.worker_error = failed.text
        self.sub_title = "torch unavailable"
        self.notify(
            plain_text(message), title="torch could not start", severity="error", timeout=10
        )

    def on_unmount(self) -> None:
        if self._own_worker and self._worker is not None:
            self._worker.close()

    # -- quitting ----------------------------------------------------------------------------

    def unrun_predictions(self) -> list[str]:
        """Titles of the lessons holding predictions typed but not run yet."""
        return [s.lesson.title for s in self._sessions.values() if s.has_drafts()]

    async def action_quit(self) -> None:
        """Quit; with predictions typed but not run, or exercise code edited since it ran,
        ask first. Exercise code is saved as a draft before anything else."""
        from autograd_tutor.tui.screens.confirm import ConfirmScreen
        from autograd_tutor.tui.screens.exercise import ExerciseScreen

        exercises = [s for s in self.screen_stack if isinstance(s, ExerciseScreen)]
        for screen in exercises:
            screen.save_code()  # the draft is kept whatever the answer
        pending = self.unrun_predictions()
        edited = [s.session.lesson.title for s in exercises if s.has_unrun_edits()]
        if not (pending or edited) or isinstance(self.screen, ConfirmScreen):
            self.exit()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        parts = []
        if pending:
            where = ", ".join(repr(printable(title)) for title in pending)
            parts.append(
                f"You typed predictions in {where} that have not run yet: they are not saved."
            )
        if edited:
            where = ", ".join(repr(printable(title)) for title in edited)
            parts.append(
                f"Your exercise code in {where} has not run since you edited it: it is kept"
                " as a draft."
            )
        self.push_screen(ConfirmScreen(" ".join(parts) + " Quit anyway?"), answer)

    # -- lessons -----------------------------------------------------------------------------

    def lesson_by_id(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def session_for(self, lesson: Lesson) -> LessonSession:
        """The lesson's session for this sitting (its hints used and drafts survive leaving
        the lesson and coming back)."""
        from autograd_tutor.session import LessonSession

        session = self._sessions.get(lesson.id)
        if session is None:
            session = LessonSession.for_learner(lesson, self.worker, self.store)
            self._sessions[lesson.id] = session
        return session

    def _open_next_queued(self) -> None:
        while self.open_queue:
            lesson_id = self.open_queue.pop(0)
            if self.lesson_by_id(lesson_id) is not None:
                self.open_lesson(lesson_id)
                return
            self.notify(f"There is no lesson called {plain_text(lesson_id)!r}.", severity="error")

    async def _back_to_picker(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, PickerScreen):
            await self.pop_screen()

    @on(PickerScreen.Open)
    def _open_from_picker(self, message: PickerScreen.Open) -> None:
        self.open_lesson(message.lesson_id)

    @on(PickerScreen.Restart)
    def _restart_from_picker(self, message: PickerScreen.Restart) -> None:
        self.confirm_restart(message.lesson_id)

    @work(exclusive=True, group="navigate")
    async def open_lesson(
        self,
        lesson_id: str,
        asked: Mapping[int, Collection[str] | None] | Sequence[int] | None = None,
    ) -> None:
        """Open a lesson at its first unanswered step; a finished one at its summary (its
        answers read-only). With ``asked``, only those steps: step -> the question ids to ask
        (None: all of them), or just the step positions."""
        from autograd_tutor.tui.screens.step_kinds import screen_for_step

        if asked is not None and not isinstance(asked, Mapping):
            asked = dict.fromkeys(asked)

        lesson = self.lesson_by_id(lesson_id)
        if lesson is None:
            self.notify(f"There is no lesson called {plain_text(lesson_id)!r}.", severity="error")
            return
        await self._back_to_picker()
        if not lesson.steps:
            self.notify("This lesson has no steps.", severity="warning")
            return
        session = self.session_for(lesson)
        if asked:
            order = sorted(asked)
            start = order[0]
        else:
            order = list(range(len(lesson.steps)))
            summary = session.summary()
            if self.store is not None and summary.has_work and summary.finished:
                await self._show_summary(session)
                return
            start = session.resume_position()
        await self.push_screen(
            screen_for_step(
                session,
                start,
                order,
                asked=asked.get(start) if asked else None,
                asked_later=asked or None,
                cursor_blink=self.cursor_blink,
            ),
            partial(self._left_step, session.lesson.id),
        )

    def _left_step(self, lesson_id: str, _: None) -> None:
        """Esc on a step: back to the lessons (its typed predictions stay as drafts), the
        cursor on the lesson just left."""
        self.call_after_refresh(self._highlight, lesson_id)

    def _highlight(self, lesson_id: str) -> None:
        if isinstance(self.screen, PickerScreen):
            self.screen.highlight(lesson_id)

    async def on_step_screen_ran(self, message: StepScreen.Ran) -> None:
        """A step ran: reveal, then go on (or back to the step)."""
        from autograd_tutor.tui.screens.reveal import RevealScreen

        step_screen, outcome = message.screen, message.outcome
        if self.screen is not step_screen:
            return  # the learner left meanwhile (the outcome is recorded all the same)
        session, position, order = step_screen.session, step_screen.position, step_screen.order
        later = [p for p in order if p > position]
        heading = lesson_heading(session.lesson.title, session.lesson.variant_label)
        title = f"{heading} · step {position + 1}: what torch says"

        def after(choice: str | None) -> None:
            if choice == "next":
                self._go_on(session, order, later, step_screen.asked_later)

        self.push_screen(RevealScreen(outcome, title=title, last=not later), after)

    def on_exercise_screen_show_solution(self, message: ExerciseScreen.ShowSolution) -> None:
        """F3 on an exercise: the reference solution over it."""
        from autograd_tutor.tui.screens.solution import SolutionScreen

        self.push_screen(SolutionScreen(message.solution, title=message.title))

    def on_open_graph(self, message: OpenGraph) -> None:
        """``g`` on a step or its reveal: the graph of the step nearest the top of the stack."""
        from autograd_tutor.tui.screens.graph import GraphScreen
        from autograd_tutor.tui.screens.reveal import RevealScreen
        from autograd_tutor.tui.screens.step import StepScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, StepScreen):
                self.push_screen(GraphScreen(screen.session, screen.position))
                return
            if not isinstance(screen, RevealScreen):
                break
        self.notify("No step to draw a graph for.", timeout=3)

    def on_step_done(self, message: StepDone) -> None:
        """An exercise or experiment screen is done: on to the next step (or the summary)."""
        order, position = message.order, message.position
        self._go_on(message.session, order, [p for p in order if p > position], None)

    @work(exclusive=True, group="navigate")
    async def _go_on(
        self,
        session: LessonSession,
        order: list[int],
        later: list[int],
        asked: Mapping[int, Collection[str] | None] | None,
    ) -> None:
        from autograd_tutor.tui.screens.step_kinds import screen_for_step

        await self._back_to_picker()
        if later:
            await self.push_screen(
                screen_for_step(
                    session,
                    later[0],
                    order,
                    asked=asked.get(later[0]) if asked else None,
                    asked_later=asked,
                    cursor_blink=self.cursor_blink,
                ),
                partial(self._left_step, session.lesson.id),
            )
        else:
            await self._show_summary(session)

    async def _show_summary(self, session: LessonSession) -> None:
        from autograd_tutor.tui.screens.summary import SummaryScreen

        not_saved: list[str] = []
        if self.store is not None:
            self.store.retry_unsaved()  # the folder may be writable again
            not_saved = self.store.save_state.lines()
        following = self.next_lesson(session.lesson.id)
        await self.push_screen(
            SummaryScreen(
                session.summary(),
                not_saved,
                next_lesson=following.title if following is not None else None,
            ),
            partial(self._after_summary, session),
        )

    def next_lesson(self, lesson_id: str) -> Lesson | None:
        """The lesson after ``lesson_id`` in the picker's order (None after the last)."""
        ids = [lesson.id for lesson in self.lessons]
        at = ids.index(lesson_id) + 1 if lesson_id in ids else len(ids)
        return self.lessons[at] if at < len(ids) else None

    def _after_summary(self, session: LessonSession, choice: str | None) -> None:
        if choice == "retry":
            self.open_lesson(session.lesson.id, dict(session.summary().to_retry()))
        elif choice == "retake":  # the lesson again with new numbers
            self._sessions[session.lesson.id] = session.retake()
            self.open_lesson(session.lesson.id)
        elif choice == "practice":  # back to the exercise or experiment not done yet
            unfinished = session.summary().unfinished_practice
            if unfinished is not None:
                self.go_to_step(session, unfinished.step_index)
        elif choice == "next" and (following := self.next_lesson(session.lesson.id)):
            self.open_lesson(following.id)
        elif self.open_queue:
            self._open_next_queued()

    # -- the step list ---------------------------------------------------------------------------

    def lesson_here(self) -> tuple[LessonSession, int | None] | None:
        """The lesson session on screen (a step, its reveal, an exercise, an experiment, the
        summary) and the step shown (None on the summary); None on the lesson picker."""
        from autograd_tutor.session import LessonSession
        from autograd_tutor.tui.screens.summary import SummaryScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, PickerScreen):
                return None
            session = getattr(screen, "session", None)
            if isinstance(session, LessonSession):
                position = getattr(screen, "position", None)
                return session, position if isinstance(position, int) else None
            if isinstance(screen, SummaryScreen):
                current = self._sessions.get(screen.summary.lesson.id)
                return None if current is None else (current, None)
        return None

    def action_step_list(self) -> None:
        """ctrl+o: the lesson's steps with where the learner stands; Enter opens one."""
        from autograd_tutor.session.step_list import step_entries
        from autograd_tutor.tui.screens.step_list import StepListScreen

        here = self.lesson_here()
        if here is None:
            self.notify("Open a lesson first: the step list shows its steps.", timeout=3)
            return
        if any(getattr(screen, "busy", False) is True for screen in self.screen_stack):
            self.notify("A run is in progress: wait for it, or Esc to cancel it.", timeout=3)
            return
        session, position = here
        lesson = session.lesson
        title = f"{lesson_heading(lesson.title, lesson.variant_label)}: steps"

        def chosen(index: int | None) -> None:
            if index is not None:
                self.go_to_step(session, index)

        self.push_screen(StepListScreen(title, step_entries(session.summary()), position), chosen)

    @work(exclusive=True, group="navigate")
    async def go_to_step(self, session: LessonSession, index: int) -> None:
        """Open step ``index`` of ``session``'s lesson, if the step list lets it be opened
        (never past an unanswered question); the lesson goes on from there in order."""
        from autograd_tutor.session.step_list import step_entries
        from autograd_tutor.tui.screens.step_kinds import screen_for_step

        entries = step_entries(session.summary())
        if not 0 <= index < len(entries) or not entries[index].open:
            self.notify("Answer the steps before it first.", severity="warning", timeout=3)
            return
        await self._back_to_picker()
        order = list(range(len(session.lesson.steps)))
        await self.push_screen(
            screen_for_step(session, index, order, cursor_blink=self.cursor_blink),
            partial(self._left_step, session.lesson.id),
        )

    # -- restart, help, themes ------------------------------------------------------------------

    def confirm_restart(self, lesson_id: str) -> None:
        from autograd_tutor.tui.screens.confirm import ConfirmScreen

        lesson = self.lesson_by_id(lesson_id)
        store = self.store
        if lesson is None or store is None:
            self.notify("Progress is not being saved, nothing to restart.", severity="warning")
            return
        title = printable(lesson.title)

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            moved = store.reset_lesson(lesson_id)
            self._sessions.pop(lesson_id, None)  # hints and drafts start over too
            self.notify(f"Restarted {escape(repr(title))} ({moved} earlier answers archived).")
            for screen in self.screen_stack:
                if isinstance(screen, PickerScreen):
                    screen.refresh_lessons()

        self.push_screen(
            ConfirmScreen(
                f"Restart {title!r}? Your answers to it are archived in your progress "
                "file and no longer count."
            ),
            answer,
        )

    def action_help(self) -> None:
        from autograd_tutor.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.store))

    def _remember_theme(self, theme: object) -> None:
        if self.settings_path is None:
            return
        from autograd_tutor.settings import Settings, save_settings

        save_settings(self.settings_path, Settings(theme=self.theme))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Help", "Keys, what the tutor does, where progress is kept", self.action_help
        )
        for label, name in THEMES.items():
            yield SystemCommand(
                f"Theme: {label}",
                f"Switch to the {label} theme",
                partial(setattr, self, "theme", name),
            )
        if self.lesson_here() is not None:
            yield SystemCommand(
                "Go to step…",
                "This lesson's steps, answered or not; open one (ctrl+o)",
                self.action_step_list,
            )
        for lesson in self.lessons:
            yield SystemCommand(
                printable(f"Open lesson: {lesson.title}"),
                printable(lesson.summary or lesson.id),
                partial(self.open_lesson, lesson.id),
            )
        if self.store is not None:
            for lesson in self.lessons:
                yield SystemCommand(
                    printable(f"Restart lesson: {lesson.title}"),
                    "Archive your answers to this lesson and start over (asks first)",
                    partial(self.confirm_restart, lesson.id),
                    discover=False,
                )
