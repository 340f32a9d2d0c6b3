"""``AutogradTutorApp``: the Textual app. It paints the lesson picker at once, starts the torch
worker in a thread meanwhile (the header says where torch runs once it is ready), and moves the
learner through picker -> step -> reveal -> summary. Screens live in ``screens/`` (each beside
its ``.tcss``), widgets in ``widgets/``; the predict/run/score/record loop is
``autograd_tutor.session.LessonSession``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from autograd_tutor.safe_text import printable
from autograd_tutor.tui.screens.picker import PickerScreen

# The lesson loader, the other screens and the session core behind them are imported when first
# needed, so the first frame is painted about as early as a minimal Textual app paints its own.

THEMES: dict[str, str] = {
    "dark": "textual-dark",
    "light": "textual-light",
    "terminal colours, dark (16-colour ANSI)": "ansi-dark",
    "terminal colours, light (16-colour ANSI)": "ansi-light",
}


class AutogradTutorApp(App[None]):
    """The tutor. ``worker`` and ``store`` may be injected (tests share one warm worker)."""

    CSS_PATH = "app.tcss"
    TITLE = "autograd-tutor"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        lessons_dir: Path | None = None,
        *,
        device: str = "auto",
        worker: Any | None = None,
        store: Any | None = None,
        open_lessons: Sequence[str] = (),
        cursor_blink: bool = True,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.lessons_dir = lessons_dir
        self._loaded: tuple[list[Any], list[Any]] | None = None
        self.store = store
        self.device = device
        self._own_worker = worker is None
        self._worker = worker
        self.worker_info: Any | None = None
        self.worker_error: str | None = None
        self.open_queue = list(open_lessons)
        self.cursor_blink = cursor_blink
        if theme is not None:
            self.theme = theme
        self.sub_title = "starting torch…"

    # -- start-up --------------------------------------------------------------------------

    @property
    def lessons_loaded(self) -> bool:
        return self._loaded is not None

    def _load(self) -> tuple[list[Any], list[Any]]:
        if self._loaded is None:
            from autograd_tutor.lessons.loader import load_lessons

            self._loaded = load_lessons(self.lessons_dir)
        return self._loaded

    @property
    def lessons(self) -> list[Any]:
        """The lessons that loaded (read from disk on first use)."""
        return self._load()[0]

    @property
    def broken(self) -> list[Any]:
        """Lesson files that did not load (``BrokenLesson``, with the loader's error)."""
        return self._load()[1]

    @property
    def worker(self) -> Any:
        """The ``WorkerClient`` (made on first use, so its import is not on the first frame)."""
        if self._worker is None:
            from autograd_tutor.worker import WorkerClient

            self._worker = WorkerClient(self.device)
        return self._worker

    def on_mount(self) -> None:
        if self.store is not None and self.store.on_warning is None:
            # Before the picker first loads the progress, so a file moved aside is shown.
            self.store.on_warning = self._store_warning
        self.push_screen(PickerScreen())

    def _store_warning(self, message: str) -> None:
        self.notify(printable(message), severity="warning", timeout=15, markup=False)

    def on_ready(self) -> None:
        # Ready comes while Textual still batches the start-up updates, so the first frame is
        # not on the terminal yet; an after-refresh callback runs once it has been written.
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        """The first frame is on the terminal: start torch, then read the lessons."""
        self.start_torch()
        if isinstance(self.screen, PickerScreen):
            self.screen.refresh_lessons()
        if self.open_queue:
            self.call_after_refresh(self._open_next_queued)

    @work(thread=True, exclusive=True, group="torch")
    def start_torch(self) -> None:
        """Start the worker process and wait until torch is imported (in a thread)."""
        from autograd_tutor.worker import WorkerUnavailable

        try:
            self.worker.start()
            info = self.worker.wait_ready()
        except WorkerUnavailable as exc:
            self.call_from_thread(self._torch_failed, str(exc))
            return
        except Exception as exc:  # keep the app usable whatever the start-up did
            self.call_from_thread(self._torch_failed, f"{type(exc).__name__}: {exc}")
            return
        self.call_from_thread(self._torch_ready, info)

    def _torch_ready(self, info: Any) -> None:
        self.worker_info = info
        where = info.device_name if info.device != "cpu" and info.device_name else info.device
        self.sub_title = f"torch {info.torch_version} on {where}"

    def _torch_failed(self, message: str) -> None:
        self.worker_error = message
        self.sub_title = "torch unavailable"
        self.notify(message, title="torch could not start", severity="error", timeout=10)

    def on_unmount(self) -> None:
        if self._own_worker and self._worker is not None:
            self._worker.close()

    # -- lessons -----------------------------------------------------------------------------

    def lesson_by_id(self, lesson_id: str) -> Any | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def _open_next_queued(self) -> None:
        while self.open_queue:
            lesson_id = self.open_queue.pop(0)
            if self.lesson_by_id(lesson_id) is not None:
                self.open_lesson(lesson_id)
                return
            self.notify(f"There is no lesson called {lesson_id!r}.", severity="error")

    async def _back_to_picker(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, PickerScreen):
            await self.pop_screen()

    @work(exclusive=True, group="navigate")
    async def open_lesson(self, lesson_id: str, positions: Sequence[int] | None = None) -> None:
        """Open a lesson at its first unanswered step (or go through ``positions`` only)."""
        from autograd_tutor.session import LessonSession
        from autograd_tutor.tui.screens.step_kinds import screen_for_step

        lesson = self.lesson_by_id(lesson_id)
        if lesson is None:
            self.notify(f"There is no lesson called {lesson_id!r}.", severity="error")
            return
        await self._back_to_picker()
        session = LessonSession(lesson, self.worker, self.store)
        if positions:
            order = sorted(set(positions))
            start = order[0]
        else:
            order = list(range(len(lesson.steps)))
            start = session.resume_position()
        if not lesson.steps:
            self.notify("This lesson has no steps.", severity="warning")
            return
        await self.push_screen(screen_for_step(session, start, order))

    def show_reveal(self, step_screen: Any, outcome: Any) -> None:
        """Called by a step screen when its code ran: reveal, then go on."""
        from autograd_tutor.tui.screens.reveal import RevealScreen

        session, position, order = step_screen.session, step_screen.position, step_screen.order
        later = [p for p in order if p > position]
        title = f"{session.lesson.title} · step {position + 1}: what torch says"

        def after(choice: str | None) -> None:
            if choice == "next":
                self._go_on(session, order, later)

        self.push_screen(RevealScreen(outcome, title=title, last=not later), after)

    def next_step(self, step_screen: Any) -> None:
        """Called by an exercise or experiment screen: on to the next step (or the summary)."""
        order, position = step_screen.order, step_screen.position
        self._go_on(step_screen.session, order, [p for p in order if p > position])

    @work(exclusive=True, group="navigate")
    async def _go_on(self, session: Any, order: list[int], later: list[int]) -> None:
        from autograd_tutor.tui.screens.reveal import RevealScreen
        from autograd_tutor.tui.screens.step_kinds import is_step_screen, screen_for_step
        from autograd_tutor.tui.screens.summary import SummaryScreen

        if isinstance(self.screen, RevealScreen):
            await self.pop_screen()
        if is_step_screen(self.screen):
            await self.pop_screen()
        if later:
            await self.push_screen(screen_for_step(session, later[0], order))
        else:
            await self.push_screen(
                SummaryScreen(session.summary()), partial(self._after_summary, session)
            )

    def _after_summary(self, session: Any, choice: str | None) -> None:
        if choice == "retry":
            missed = sorted({m.step_index for m in session.summary().missed})
            self.open_lesson(session.lesson.id, missed)
        elif self.open_queue:
            self._open_next_queued()

    # -- restart, help, themes ------------------------------------------------------------------

    def confirm_restart(self, lesson_id: str) -> None:
        from autograd_tutor.tui.screens.confirm import ConfirmScreen

        lesson = self.lesson_by_id(lesson_id)
        if lesson is None or self.store is None:
            self.notify("Progress is not being saved, nothing to restart.", severity="warning")
            return

        store = self.store

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            moved = store.reset_lesson(lesson_id)
            self.notify(f"Restarted {lesson.title!r} ({moved} earlier answers archived).")
            if isinstance(self.screen, PickerScreen):
                self.screen.refresh_lessons()

        self.push_screen(
            ConfirmScreen(
                f"Restart {lesson.title!r}? Your answers to it are archived in your progress "
                "file and no longer count."
            ),
            answer,
        )

    def action_help(self) -> None:
        from autograd_tutor.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

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
        for lesson in self.lessons:
            yield SystemCommand(
                f"Open lesson: {lesson.title}",
                lesson.summary or lesson.id,
                partial(self.open_lesson, lesson.id),
            )
        if self.store is not None:
            for lesson in self.lessons:
                yield SystemCommand(
                    f"Restart lesson: {lesson.title}",
                    "Archive your answers to this lesson and start over (asks first)",
                    partial(self.confirm_restart, lesson.id),
                    discover=False,
                )
