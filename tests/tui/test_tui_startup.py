"""Start-up: lessons named on the command line open once the picker has listed the lessons (an
unknown name is said, not fatal); lessons kept from the last start are listed in the first
frame. How long start-up takes is measured by
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


async def test_lessons_kept_from_the_last_start_are_listed_in_the_first_frame(
    tmp_path: Path, tui_worker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first start reads the lesson files after the first frame and keeps them; the next
    start lists the kept lessons in its first frame (the picker mounts with them), without
    parsing a file."""
    mounted_with: list[list[str]] = []
    original = PickerScreen.on_mount

    def record(self: PickerScreen) -> None:
        mounted_with.append([lesson.id for lesson in self.lessons])
        original(self)

    monkeypatch.setattr(PickerScreen, "on_mount", record)
    cache_dir = tmp_path / "cache"
    expected = [lesson.id for lesson in load_lessons(TEST_LESSONS)[0]]

    async def start() -> None:
        app = AutogradTutorApp(
            TEST_LESSONS, worker=tui_worker, store=None, cursor_blink=False, lessons_cache=cache_dir
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: "Fitting a line" in screen_text(app))
            assert [lesson.id for lesson in app.lessons] == expected

    await start()
    assert mounted_with == [[]]  # listed after the first frame
    assert list(cache_dir.glob("lessons-*.pickle"))

    def no_parse(directory: Path) -> Any:
        raise AssertionError(f"{directory} parsed again")

    monkeypatch.setattr(cache, "_parse", no_parse)
    await start()
    assert mounted_with[1] == expected
