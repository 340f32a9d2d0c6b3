"""A retake with new numbers, driven with Pilot over a real torch worker: finish a
parameterised lesson, press ``n`` on the summary, see the new numbers in the heading, and find
the first tries stored as the retake's; the picker shows the retake in progress by its own
take, with the first take's score beside it. A lesson without parameters has no label."""

from __future__ import annotations

from pathlib import Path

from test_tui_flow import answer_step, open_highlighted
from tui_helpers import go_on, screen_text, wait_until

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.variants import draw
from autograd_tutor.progress import ProgressStore
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.summary import SummaryScreen

DOUBLE = """\
id: double
title: Double
order: 1
params:
  a: {choice: [4, 3, 5, 6]}
steps:
  - code: y = torch.tensor({a}.0) * 2
    ask:
      - expr: y
        expect: 2 * a
  - code: z = torch.tensor({a}.0) * 3
    ask:
      - expr: z
        expect: 3 * a
"""

PLAIN = """\
id: plain
title: Plain
order: 2
steps:
  - code: y = torch.tensor(2.0) * 2
    ask:
      - expr: y
        expect: 4
"""


def heading(app: AutogradTutorApp) -> str:
    return str(app.screen.query_one("#step-title").render())


async def test_a_retake_shows_new_numbers_and_records_its_own_first_tries(
    tui_worker, tmp_path: Path
) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "double.yaml").write_text(DOUBLE, encoding="utf-8")
    (lessons / "plain.yaml").write_text(PLAIN, encoding="utf-8")
    double = load_lesson(lessons / "double.yaml")
    a, b = draw(double, "ada")["a"], draw(double, "ada", 1)["a"]
    assert a != b
    store = ProgressStore.from_options("ada", tmp_path / "data")  # a learner who named themselves
    app = AutogradTutorApp(lessons, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot, 0)
        assert heading(app).startswith(f"Double [a={a}] · step 1 of 2")
        await answer_step(pilot, ["0"])  # wrong
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        await answer_step(pilot, [str(3 * a)])
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert "Score 50%" in screen_text(app)
        assert "n: again with new numbers" in screen_text(app)
        await pilot.press("n")  # again with new numbers
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert heading(app).startswith(f"Double [a={b}] · step 1 of 2")
        await answer_step(pilot, [str(2 * a)])  # the first take's value: wrong now
        assert "✓ right" not in screen_text(app)
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert heading(app).startswith(f"Double [a={b}] · step 2 of 2")
        await pilot.press("escape")  # leave the retake half done
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await wait_until(pilot, lambda: "retake 1" in screen_text(app))
        shown = screen_text(app)
        assert "retake 1: 1/2 answered · score 0% · before 50%" in shown
        await pilot.press("down", "enter")  # the lesson without parameters
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert heading(app) == "Plain · step 1 of 1"  # no variant label
    stored = [(t.take, t.variant, t.verdict) for t in store.load().attempts("double")]
    assert stored == [
        (0, {"a": a}, "wrong"),
        (0, {"a": a}, "right"),
        (1, {"a": b}, "wrong"),
    ]
