"""Honest predictions in the app: a revealed answer is final for first-try credit, the reveal
cannot be skipped by a stray Enter and stays reachable from the summary, "retry missed" asks
only the missed questions, typed predictions never vanish silently, and every key lands in the
field that had focus when it was typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import OptionList
from tui_helpers import TEST_LESSONS, go_on, screen_text, type_text, wait_until

from autograd_tutor.progress import ProgressStore
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.confirm import ConfirmScreen
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.summary import SummaryScreen
from autograd_tutor.tui.widgets.question_field import QuestionField

PAIR_LESSON = """\
id: pair
title: Two questions, one step
steps:
  - code: |
      x = torch.tensor(3.0, requires_grad=True)
      y = x ** 2
      y.backward()
    ask:
      - expr: x.grad
        expect: 6
      - expr: y
        expect: 9
      - expr: x.requires_grad
        expect: true
"""


def pair_lessons(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "pair.yaml").write_text(PAIR_LESSON, encoding="utf-8")
    return folder


async def open_first(pilot: Any) -> StepScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, StepScreen) and app.focused)
    return app.screen


def burst(app: Any, keys: str | list[str]) -> None:
    """Keys arriving together (a paste, or typing over SSH): all queued before any is handled."""
    for key in keys:
        char = {"tab": "\t", "enter": "\r"}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


def fields(app: Any) -> list[QuestionField]:
    return list(app.screen.query(QuestionField))


async def test_a_revealed_answer_is_final_and_a_second_run_is_a_retry(tui_worker, tmp_path):
    store = ProgressStore(tmp_path / "data", "ada")
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        await type_text(pilot, "9")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        assert "✗ wrong" in screen_text(app) and "retry" not in screen_text(app)
        await pilot.press("escape")  # back to the step: the answer may change...
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert "Already revealed" in screen_text(app)
        field = fields(app)[0]
        field.input.value = ""
        await type_text(pilot, "6")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        shown = screen_text(app)
        assert "✓ right · retry (the first try counts)" in shown  # ...but it is a retry
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        await type_text(pilot, "[[9, 8, 7], [6, 5, 4], [3, 2, 1]]")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        shown = screen_text(app)
        assert "Score 50%" in shown  # the first try (9) counts, not the retry
        assert "(fixed on retry)" in shown
        # the past reveals are reachable: every answer with torch's value and the explanation
        assert "tensor(6)" in shown and "d(x**2)/dx = 2x" in shown
    typed = [(a.typed, a.verdict) for a in store.load().attempts("tui-chain")]
    assert typed[:2] == [("9", "wrong"), ("6", "right")]


async def test_a_second_enter_with_the_first_cannot_skip_the_reveal(tui_worker, monkeypatch):
    from autograd_tutor.tui.screens import reveal

    monkeypatch.setattr(reveal, "ENTER_GUARD", 3600.0)  # however slow the machine
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        burst(app, ["6", "enter", "enter", "enter"])
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        await pilot.press("enter")  # pressed within the guard again: still the reveal
        await pilot.pause()
        assert isinstance(app.screen, RevealScreen)
        monkeypatch.setattr(reveal, "ENTER_GUARD", 0.0)  # the guard is over
        await pilot.press("enter")  # a deliberate Enter goes on
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert app.screen.position == 1


async def test_retry_missed_asks_only_the_missed_and_never_lowers_a_right_one(tui_worker, tmp_path):
    store = ProgressStore(tmp_path / "data", "ada")
    app = AutogradTutorApp(pair_lessons(tmp_path), worker=tui_worker, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        for text in ("6", "8"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await pilot.press("ctrl+s")  # an explicit skip of the last question
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert "r: retry the 2 missed questions" in screen_text(app)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert [f.question.expr for f in fields(app)] == ["y", "x.requires_grad"]
        await pilot.press("ctrl+s")  # skip y again, answer the other
        await type_text(pilot, "True")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        shown = screen_text(app)
        assert "x.grad" not in shown  # not asked, not shown again
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert "r: retry the 1 missed question" in screen_text(app)
    attempts = store.load().attempts("pair")
    assert [(a.expr, a.verdict) for a in attempts] == [
        ("x.grad", "right"),  # asked once, never lowered
        ("y", "wrong"),
        ("x.requires_grad", "skipped"),
        ("y", "skipped"),
        ("x.requires_grad", "right"),
    ]


async def test_typed_predictions_survive_leaving_and_quitting_asks_first(tui_worker):
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        await type_text(pilot, "[[1, 2")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))
        app.open_lesson("tui-fit")  # as the command palette does
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        await pilot.press("escape")  # the picker's cursor is on the lesson just left
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))
        options = app.screen.query_one(OptionList)
        await wait_until(
            pilot, lambda: options.get_option_at_index(options.highlighted).id == "lesson:tui-fit"
        )
        app.open_lesson("tui-chain")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, StepScreen) and app.screen.session.lesson.id == "tui-chain"
            ),
        )
        assert fields(app)[0].text == "[[1, 2"  # still there
        for key in ("ctrl+q", "ctrl+c"):
            await pilot.press(key)
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            assert "have not run yet" in screen_text(app)
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_c_quits_when_nothing_was_typed(tui_worker):
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.lessons_loaded)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running


async def test_keys_typed_in_one_burst_land_in_the_field_that_had_focus(tui_worker, tmp_path):
    app = AutogradTutorApp(pair_lessons(tmp_path), worker=tui_worker, store=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        burst(app, ["1", "6", "tab", "8", "enter", "T", "r", "u", "e"])
        await wait_until(pilot, lambda: [f.text for f in fields(app)] == ["16", "8", "True"])


async def test_a_multi_line_paste_of_torch_output_is_one_answer(tui_worker):
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.lessons_loaded)
        app.open_lesson("tui-chain", {1: {"2.1"}})  # the matrix question
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen) and app.focused)
        field = fields(app)[0]
        pasted = "tensor([[9., 8., 7.],\n        [6., 5., 4.],\n        [3., 2., 1.]])\n"
        field.input.post_message(events.Paste(pasted))
        await pilot.pause()
        assert field.text == "tensor([[9., 8., 7.], [6., 5., 4.], [3., 2., 1.]])"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        assert "✓ right" in screen_text(app)


async def test_answers_of_the_wrong_kind_are_refused_with_a_caret(tui_worker, tmp_path):
    app = AutogradTutorApp(pair_lessons(tmp_path), worker=tui_worker, store=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        shown = [f.input.placeholder for f in fields(app)]
        assert shown[2] == "True or False" and "number" in shown[0]
        for text in ("6,5", "y", "yes"):
            await type_text(pilot, text)
            await pilot.press("tab")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)  # nothing ran, nothing was shown
        text = screen_text(app)
        assert "use a decimal point, not a comma" in text
        assert "'y' is a name, not a value" in text
        assert "True or False" in text and "^" in text
