"""Start-up: lessons named on the command line open once the picker has listed the lessons (an
unknown name is said, not fatal). How long start-up takes is measured by
benchmarks/startup.py, never here."""

from __future__ import annotations

from typing import Any

from tui_helpers import TEST_LESSONS, wait_until

from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.step import StepScreen


async def test_lessons_named_on_the_command_line_open_after_the_listing(tui_worker) -> None:
    app = AutogradTutorApp(
        TEST_LESSONS,
        worker=tui_worker,
        store=None,
        open_lessons=["no-such-lesson", "tui-fit"],
        cursor_blink=False,
    )
    said: list[str] = []
    notify = app.notify

    def record(message: str, **options: Any) -> None:
        said.append(message)
        notify(message, **options)

    app.notify = record  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert app.screen.session.lesson.id == "tui-fit"
        # what was said, not what is still shown (a notification leaves after its timeout)
        assert "There is no lesson called 'no-such-lesson'." in said
        assert app.open_queue == []
