"""Coming back: the picker's cursor on the lesson in progress, a finished lesson shown with its
answers read-only (and a way to retry), the theme remembered, a progress file moved aside said
at once; and text from outside the app (titles, names, lesson Markdown) shown as written."""

from __future__ import annotations

from textual.widgets import OptionList
from tui_helpers import TEST_LESSONS, plain, screen_text, wait_until

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.progress import Attempt, ProgressStore
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.summary import SummaryScreen
from autograd_tutor.tui.widgets.lesson_markdown import lesson_markdown, text_with_code


def attempt(lesson: Lesson, qid: str, typed: str, verdict: str, when: str) -> Attempt:
    question = next(q for q in lesson.questions if q.id == qid)
    return Attempt(
        lesson.id,
        lesson.content_hash,
        lesson.step_of(qid).index,
        qid,
        question.expr,
        typed,
        verdict,
        1.0 if verdict == "right" else 0.0,
        0,
        1.0,
        when,
        "test",
        feedback="9 is y, the forward value." if verdict == "wrong" else "",
        truth="tensor(6)",
    )


def read_test_lesson(name: str) -> Lesson:
    return load_lesson(TEST_LESSONS / name)


async def test_relaunching_puts_the_cursor_on_the_lesson_in_progress(tui_worker, tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    source = (TEST_LESSONS / "chain.yaml").read_text(encoding="utf-8")
    (lessons / "chain.yaml").write_text(source, encoding="utf-8")
    (lessons / "fit.yaml").write_text(
        (TEST_LESSONS / "fit.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (lessons / "later.yaml").write_text(
        source.replace("id: tui-chain", "id: later").replace("order: 1", "order: 3"),
        encoding="utf-8",
    )
    store = ProgressStore(tmp_path / "data", "ada")
    later = load_lesson(lessons / "later.yaml")
    store.record(attempt(later, "1.1", "6", "right", "2025-01-02T00:00:00+00:00"))
    app = AutogradTutorApp(lessons, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        options = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: options.highlighted is not None)
        highlighted = options.get_option_at_index(options.highlighted)
        assert highlighted.id == "lesson:later"  # started, not finished: not lesson 1
        assert "Enter: open" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert app.screen.session.lesson.id == "later" and app.screen.position == 1


async def test_a_finished_lesson_opens_read_only_with_a_way_to_retry(tui_worker, tmp_path):
    store = ProgressStore(tmp_path / "data", "ada")
    chain = read_test_lesson("chain.yaml")
    store.record(attempt(chain, "1.1", "9", "wrong", "2025-01-01T00:00:00+00:00"))
    store.record(attempt(chain, "2.1", "[[9]]", "right", "2025-01-01T00:00:01+00:00"))
    store.record(attempt(chain, "1.1", "6", "right", "2025-01-01T00:00:02+00:00"))
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        app.open_lesson("tui-chain")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        shown = screen_text(app)
        assert "your first try" in shown and "9" in shown and "wrong" in shown
        assert "torch says     tensor(6)" in shown
        assert "9 is y, the forward value." in shown
        assert "on retry       6  right  (fixed on retry)" in shown
        assert "Score 50%" in shown and "retry the" not in shown  # nothing left to retry
    store.record(attempt(chain, "1.1", "5", "wrong", "2025-01-01T00:00:03+00:00"))
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        app.open_lesson("tui-chain")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert "r: retry the 1 missed question" in screen_text(app)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert app.screen.position == 0 and [q.id for q in app.screen.questions] == ["1.1"]


async def test_the_theme_is_remembered_across_launches(tui_worker, tmp_path):
    settings = tmp_path / "config" / "settings.json"
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=None, settings_path=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
    assert settings.is_file()
    again = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=None, settings_path=settings)
    async with again.run_test(size=(80, 24)):
        assert again.theme == "textual-light"


async def test_a_corrupt_progress_file_is_said_at_once(tui_worker, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "ada.json").write_text("{ not json", encoding="utf-8")
    store = ProgressStore(data, "ada")
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: bool(app._notifications))
        said = " ".join(str(n.message) for n in app._notifications)
        assert "could not be used" in said and "moved" in said
    assert list(data.glob("ada*corrupt*"))


MARKUP_LESSON = """\
id: markup
title: "[bold red]x[/] and \\x1b[2J"
steps:
  - explain: |
      0.5 is the slope here.
      1. is a float, not a list item.
    code: |
      x = torch.tensor(3.0, requires_grad=True)
      (x ** 2).backward()
    ask:
      - expr: x.grad
        expect: 6
        wrong:
          - answer: 9
            says: "`y` is the forward value, not the gradient."
"""


async def test_outside_text_stays_literal_and_markdown_renders_the_same(tui_worker, tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "markup.yaml").write_text(MARKUP_LESSON, encoding="utf-8")
    store = ProgressStore(tmp_path / "data", "[i]eve[/i]")
    app = AutogradTutorApp(lessons, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        shown = screen_text(app)
        assert "[bold red]x[/] and \\x1b[2J" in shown and "\x1b" not in shown
        assert "Progress of [i]eve[/i]" in shown
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen) and app.focused)
        shown = screen_text(app)
        assert "[bold red]x[/] and \\x1b[2J · step 1 of 1" in shown
        assert "1. is a float" in shown and "0.5 is the slope" in shown
        await pilot.press("9", "ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        shown = screen_text(app)
        assert "y is the forward value, not the gradient." in shown  # no literal backticks
        assert "`y`" not in shown


def test_numbers_that_begin_a_line_are_not_list_items():
    text = plain(lesson_markdown("The rule:\n\n1. is a float\n\n0. starts it"), width=40)
    assert "1. is a float" in text and "0. starts it" in text
    assert "`" not in plain(lesson_markdown("say `x.grad`"))


def test_hints_and_feedback_are_plain_text_with_code_spans():
    shown = text_with_code("the slope of `y = x**2`, then x**2 * 3 at **x**")
    assert shown.plain == "the slope of y = x**2, then x**2 * 3 at **x**"
    assert [shown.plain[s.start : s.end] for s in shown.spans] == ["y = x**2"]


async def test_a_results_folder_that_cannot_be_written_is_said_when_it_happens(
    tui_worker, tmp_path
):
    blocker = tmp_path / "results"
    blocker.write_text("a file where the results folder should be", encoding="utf-8")
    store = ProgressStore(tmp_path / "data", "ada", blocker)
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        app.open_lesson("tui-chain")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen) and app.focused)
        await pilot.press("6", "ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        await wait_until(pilot, lambda: bool(app._notifications))
        said = " ".join(str(n.message) for n in app._notifications)
        assert "Could not write your results" in said
    assert store.load().attempts("tui-chain")  # the answer itself was saved
