"""``WatchApp``: the teacher's live view of a lab folder. Read-only: it polls the folder every
``interval`` seconds (and on ``r``) through :class:`~autograd_tutor.lab.state.ClassState`, and
repaints the screen on top only when what is shown changed.

The class at a glance is :class:`~.class_screen.ClassScreen`; Enter there drills into a learner
(:class:`~.learner.LearnerScreen`) or a question (:class:`~.question.QuestionScreen`), Esc
comes back. Screens receive the state and post messages; only the app pushes and pops.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches

from autograd_tutor.lab.state import ClassState
from autograd_tutor.lab.stuck import StuckRules
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.tui.watch.class_screen import ClassScreen, OpenLearner, OpenQuestion
from autograd_tutor.tui.watch.learner import LearnerScreen
from autograd_tutor.tui.watch.question import QuestionScreen


class WatchApp(App[int]):
    TITLE = "autograd-tutor watch"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        directory: Path,
        lessons: list[Lesson],
        *,
        rules: StuckRules | None = None,
        interval: float = 1.0,
    ) -> None:
        super().__init__()
        self.state = ClassState(Path(directory), lessons, rules or StuckRules())
        self.interval = interval
        self.polls = 0  # polls done (tests wait on it)

    def on_mount(self) -> None:
        self.state.refresh()
        self.polls += 1
        self.push_screen(ClassScreen(self.state))
        self.set_interval(self.interval, self.action_refresh)

    def action_refresh(self) -> None:
        """Poll the folder now; repaint what changed (the clock in the status line always)."""
        if not self.screen_stack:
            return  # the app is closing: a last tick of the timer finds its screens gone
        changed = self.state.refresh()
        self.polls += 1
        screen = self.screen  # the one on top; the class screen repaints when it comes back
        if isinstance(screen, ClassScreen) and not screen.painted:
            return  # still being put together: it paints the state when it mounts
        try:
            if isinstance(screen, (ClassScreen, LearnerScreen, QuestionScreen)) and changed:
                screen.show(self.state)
            elif isinstance(screen, ClassScreen):
                screen.show_status()
        except NoMatches:  # the app is closing and its widgets are gone
            pass

    def on_open_learner(self, message: OpenLearner) -> None:
        if self.state.learner(message.path) is not None:
            self.push_screen(LearnerScreen(message.path, self.state))

    def on_open_question(self, message: OpenQuestion) -> None:
        if self.state.question(message.lesson_id, message.question_id) is not None:
            self.push_screen(QuestionScreen(message.lesson_id, message.question_id, self.state))
