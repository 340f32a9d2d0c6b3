"""The app's ``--memory-limit`` (issue 19): the option reaches the app, whose own worker
limits every run of exercise code with it, and the learner reads why the run stopped."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import plain, wait_until

from autograd_tutor.cli import build_parser
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.exercise import ExerciseScreen

LESSON = """\
id: big
title: Big
time_limit: 60
steps:
  - code: |
      x = 1
    exercise:
      starter: |
        y = ...
      solution: |
        y = x
      checks:
        - expr: y == 1
          says: y is not x
"""


def test_the_option_is_read_as_bytes() -> None:
    assert build_parser().parse_args(["--memory-limit", "128MB"]).memory_limit == 128 * 2**20
    assert build_parser().parse_args([]).memory_limit is None


@pytest.mark.slow
async def test_the_apps_runs_are_limited_by_the_option(tmp_path: Path, tui_store) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "big.yaml").write_text(LESSON)
    limit = build_parser().parse_args(["--memory-limit", "128MB"]).memory_limit
    app = AutogradTutorApp(
        lessons, device="cpu", memory_limit=limit, store=tui_store, cursor_blink=False
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.lessons_loaded)
        app.open_lesson("big", {0: None})
        await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen), timeout=60)
        screen = app.screen
        screen.editor.load_text("big = torch.ones(100_000_000)\ny = x\n")
        done = screen.finished_runs
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.finished_runs > done, timeout=180)
        shown = " ".join(plain(screen.query_one("#checks").content).split())
        assert "your code used more than 128 MB of memory" in shown
