"""Start-up: lessons named on the command line open once the picker has listed the lessons (an
unknown name is said, not fatal); the lessons kept by one start are listed by the next
without parsing. How long start-up takes is measured by
benchmarks/startup.py, never here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tui_helpers import TEST_LESSONS, screen_text, wait_until

from autograd_tutor.lessons import cache
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.picker import PickerScreen
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


async def test_the_next_start_lists_the_lessons_kept_by_the_first(
    tmp_path: Path, tui_worker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first start reads the lesson files once its first frame is painted and keeps them;
    the next start lists the kept lessons without parsing a file."""
    cache_dir = tmp_path / "cache"
    expected = [lesson.id for lesson in load_lessons(TEST_LESSONS)[0]]

    async def start() -> None:
        app = AutogradTutorApp(
            TEST_LESSONS, worker=tui_worker, store=None, cursor_blink=False, lessons_cache=cache_dir
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: "Fitting a line" in screen_text(app))
            picker = app.screen
            assert isinstance(picker, PickerScreen)
            assert [lesson.id for lesson in picker.lessons] == expected

    await start()
    assert list(cache_dir.glob("lessons-*.pickle"))

    def no_parse(directory: Path) -> Any:
        raise AssertionError(f"{directory} parsed again")

    monkeypatch.setattr(cache, "_parse", no_parse)
    await start()
