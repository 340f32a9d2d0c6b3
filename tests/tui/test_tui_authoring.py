"""What a learner sees of the authoring features at 80x24: a field whose hint names every form
(an error too, for a call), an error as the answer scored right, and a wrong ``expect`` shown
as the lesson's fault."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import go_on, screen_text, type_text, wait_until

from autograd_tutor.grading import placeholder
from autograd_tutor.progress import ProgressStore
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.widgets.question_field import QuestionField

LESSON = """\
id: twice
title: backward() twice
steps:
  - code: |
      x = torch.tensor(3.0, requires_grad=True)
      y = x ** 3
      y.backward()
    ask:
      - expr: y.backward()
        prompt: "A second y.backward(): what does it give?"
        raises: RuntimeError
        match: a second time
  - code: |
      z = x * 2
    ask:
      - expr: x.grad
        expect: 28
"""


async def test_an_error_answer_and_a_wrong_expect_as_the_learner_sees_them(
    tui_worker, tmp_path: Path
) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "twice.yaml").write_text(LESSON, encoding="utf-8")
    store = ProgressStore(tmp_path / "data", "ada")
    app = AutogradTutorApp(folder, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen) and app.focused)
        field = app.screen.query_one(QuestionField)
        assert field.input.placeholder == placeholder("y.backward()")
        assert "raises" in field.input.placeholder and "RuntimeError" not in screen_text(app)
        await type_text(pilot, "raises RuntimeError")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        shown = " ".join(screen_text(app).split())
        assert "✓ right" in shown and "raises RuntimeError" in shown
        # torch's own message beside the exception (both UIs word it with torch_says)
        assert "raises RuntimeError: Trying to backward through the graph" in shown
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen) and app.focused)
        assert app.screen.query_one(QuestionField).input.placeholder == placeholder("x.grad")
        await type_text(pilot, "27")  # torch's value; the lesson's expect (28) is wrong
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        shown = " ".join(screen_text(app).split())
        assert "✓ right" in shown
        assert "The lesson is wrong here, not you" in shown and "'twice'" in shown
    attempts = store.load().attempts("twice")
    assert [(a.typed, a.verdict) for a in attempts] == [
        ("raises RuntimeError", "right"),
        ("27", "right"),
    ]
    assert attempts[1].expect_disagrees == "x.grad: expect 28, torch gives tensor(27)"
