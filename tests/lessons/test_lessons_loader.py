"""The loader: the model it builds, and every error naming file, line, column and field."""

from __future__ import annotations

import hashlib
import pickle

import pytest
from lessons_helpers import MINIMAL

from autograd_tutor.lessons.errors import BrokenLesson, LessonError, LessonsFolderError
from autograd_tutor.lessons.loader import find_lessons, load_lesson, load_lessons
from autograd_tutor.lessons.model import DEFAULT_TIME_LIMIT
from autograd_tutor.values import Value

FULL = """\
id: full-lesson
title: "  Everything  "
summary: One of each key.
credit: Test suite.
seed: 7
time_limit: 2.5
order: 3
steps:
  - title: First
    explain: |
      Some *Markdown*.
    code: |
      x = torch.tensor(3.0, requires_grad=True)
      y = x ** 2
      y.backward()
    ask:
      - expr: x.grad
        expect: 6
        hints: one hint
        tolerance: 1e-3
        wrong:
          - answer: 9
            says: That is y.
      - id: named
        expr: y.grad_fn
        prompt: Which node?
        hints: [first, second]
        explain: The ** node.
        expect: PowBackward0
      - expr: x.grad
        expect: null
  - explain: A training step with no code key of its own is fine.
    code: "losses = [3.0, 2.0]"
    train:
      loss: losses
      log_scale: true
      x: "[1, 2]"
      y: "[3, 5]"
      lines:
        - label: fit
          slope: 2
          intercept: w.item()
    ask:
      - expr: len(losses)
"""


def test_full_lesson_builds_the_model(write_lesson):
    path = write_lesson(FULL)
    lesson = load_lesson(path)
    assert lesson.id == "full-lesson"
    assert lesson.title == "Everything"
    assert (lesson.summary, lesson.attribution) == ("One of each key.", "Test suite.")
    assert (lesson.seed, lesson.time_limit, lesson.order) == (7, 2.5, 3)
    assert lesson.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert lesson.path == path
    assert [s.index for s in lesson.steps] == [0, 1]
    first, second = lesson.steps
    assert first.title == "First" and first.explain == "Some *Markdown*.\n"
    assert first.code.startswith("x = torch.tensor(3.0")
    lines = path.read_text().splitlines()
    assert lines[first.code_line - 1].strip() == "x = torch.tensor(3.0, requires_grad=True)"
    assert lines[first.line - 1].strip() == "- title: First"
    q1, q2, q3 = first.questions
    assert (q1.id, q2.id, q3.id) == ("1.1", "named", "1.3")
    assert q1.prompt == "x.grad = ?" and q2.prompt == "Which node?"
    assert q1.hints == ("one hint",) and q2.hints == ("first", "second")
    assert q1.tolerance == pytest.approx(1e-3) and q2.tolerance is None
    assert (q1.expect, q1.has_expect) == (Value.number(6), True)
    assert (q2.expect, q2.has_expect) == (Value.name("PowBackward0"), True)
    assert (q3.expect, q3.has_expect) == (Value.none(), True)
    assert lines[q2.line - 1].strip() == "- id: named"
    (wrong,) = q1.wrong
    assert (wrong.answer, wrong.says) == (Value.number(9), "That is y.")
    assert lines[wrong.line - 1].strip() == "- answer: 9"
    assert second.code == "losses = [3.0, 2.0]"
    assert lines[second.code_line - 1].strip().startswith("code:")
    (q4,) = second.questions
    assert (q4.id, q4.has_expect, q4.expect) == ("2.1", False, None)
    training = second.training
    assert training is not None
    assert (training.loss, training.log_scale, training.x, training.y) == (
        "losses",
        True,
        "[1, 2]",
        "[3, 5]",
    )
    (line,) = training.lines
    assert (line.label, line.slope, line.intercept) == ("fit", "2", "w.item()")
    assert lesson.step_of("named") is first


def test_defaults(write_lesson):
    lesson = load_lesson(write_lesson(MINIMAL))
    assert (lesson.summary, lesson.attribution, lesson.seed) == ("", "", 0)
    assert lesson.time_limit == DEFAULT_TIME_LIMIT and lesson.order == 1000
    (step,) = lesson.steps
    assert step.training is None and step.title == ""
    (question,) = step.questions
    assert question.hints == () and question.wrong == () and question.explain == ""


def test_error_string_format(load_error):
    err = load_error(MINIMAL.replace("expect: 6", "expct: 6"))
    assert (err.line, err.column) == (10, 9)
    assert err.field == "steps[0].ask[0]"
    assert err.message == "unknown key 'expct' (did you mean 'expect'?)"
    assert (
        str(err)
        == f"{err.path}:10:9: steps[0].ask[0]: unknown key 'expct' (did you mean 'expect'?)"
    )
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err)


def test_unknown_key_without_a_close_match_lists_the_known_keys(load_error):
    err = load_error(MINIMAL.replace("title: Tiny", "title: Tiny\nbanana: 1"))
    assert err.line == 3 and err.field == ""
    assert "unknown key 'banana'" in err.message
    assert "known keys: id, title, summary" in err.message


def test_unknown_step_and_train_keys_suggest(load_error):
    err = load_error(MINIMAL.replace("  - code: |", "  - cod: |"))
    assert err.field == "steps[0]" and "did you mean 'code'?" in err.message and err.line == 4
    err = load_error(MINIMAL + "  - train:\n      los: losses\n")
    assert err.field == "steps[1].train" and "did you mean 'loss'?" in err.message
    assert err.line == 12


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("title: Tiny", "title: 42", 2, "title", "expected a string, got a number (42)"),
        ("title: Tiny", "title: [a, b]", 2, "title", "expected a string, got a list"),
        ("title: Tiny", "title: yes", 2, "title", "(put it in quotes)"),
        ("title: Tiny", "title: Tiny\nseed: one", 3, "seed", "expected a whole number"),
        ("title: Tiny", "title: Tiny\norder: 1.5", 3, "order", "expected a whole number"),
        ("title: Tiny", "title: Tiny\ntime_limit: 0", 3, "time_limit", "positive number"),
        ("title: Tiny", "title: Tiny\ntime_limit: soon", 3, "time_limit", "positive number"),
        (
            "expect: 6",
            "expect: 6\n        tolerance: -1",
            11,
            "steps[0].ask[0].tolerance",
            "positive",
        ),
        (
            "expect: 6",
            "expect: 6\n        hints: 3",
            11,
            "steps[0].ask[0].hints",
            "a string or a list",
        ),
        (
            "expect: 6",
            "expect: 6\n        hints: [ok, 3]",
            11,
            "steps[0].ask[0].hints[1]",
            "string",
        ),
        (
            "expect: 6",
            "expect: 6\n        wrong: 6",
            11,
            "steps[0].ask[0].wrong",
            "expected a list",
        ),
        ("expect: 6", "expect: 6\n        wrong: [6]", 11, "steps[0].ask[0].wrong[0]", "mapping"),
        ("expect: 6", "expect: 6\n  - ask: x.grad", 11, "steps[1].ask", "expected a list"),
        ("id: tiny", "id: {a: 1}", 1, "id", "expected a string, got a mapping"),
    ],
)
def test_wrong_types_say_what_was_expected(load_error, old, new, line, field, words):
    err = load_error(MINIMAL.replace(old, new))
    assert err.line == line
    assert err.field == field
    assert words in err.message


def test_steps_must_be_a_non_empty_list(load_error):
    head = "id: tiny\ntitle: Tiny\n"
    err = load_error(head + "steps: {a: 1}\n")
    assert (err.line, err.field) == (3, "steps") and "expected a list, got a mapping" in err.message
    err = load_error(head + "steps: []\n")
    assert (err.line, err.field) == (3, "steps") and "must not be empty" in err.message
    err = load_error(head + "steps:\n  - {}\n")
    assert (err.line, err.field) == (4, "steps[0]") and "at least one of" in err.message


@pytest.mark.parametrize(
    ("text", "line", "field", "key"),
    [
        ("title: T\nsteps: [{code: 'x = 1'}]\n", 1, "", "id"),
        ("id: t\nsteps: [{code: 'x = 1'}]\n", 1, "", "title"),
        ("id: t\ntitle: T\n", 1, "", "steps"),
        ("id: t\ntitle: T\nsteps:\n  - ask:\n      - prompt: p\n", 5, "steps[0].ask[0]", "expr"),
        (
            "id: t\ntitle: T\nsteps:\n  - ask:\n      - expr: x\n        wrong:\n"
            "          - answer: 3\n",
            7,
            "steps[0].ask[0].wrong[0]",
            "says",
        ),
        (
            "id: t\ntitle: T\nsteps:\n  - train:\n      lines:\n        - label: a\n"
            "          slope: 1\n",
            6,
            "steps[0].train.lines[0]",
            "intercept",
        ),
    ],
)
def test_missing_required_keys_are_named(load_error, text, line, field, key):
    err = load_error(text)
    assert err.line == line and err.field == field
    assert f"missing required key {key!r}" in err.message


@pytest.mark.parametrize("bad", ["Tiny", "-tiny", "tiny_one", "ti ny", "tïny"])
def test_lesson_id_pattern(load_error, bad):
    err = load_error(MINIMAL.replace("id: tiny", f"id: {bad}"))
    assert (err.line, err.field) == (1, "id") and "not a valid id" in err.message


def test_python_syntax_error_in_code_names_the_file_line(load_error):
    err = load_error(MINIMAL.replace("y.backward()", "y.backward("))
    assert err.line == 7 and err.field == "steps[0].code"
    assert err.column == 17
    assert "Python syntax error" in err.message and "code line 3" in err.message


def test_python_syntax_error_in_expr(load_error):
    err = load_error(MINIMAL.replace("expr: x.grad", "expr: x.grad +"))
    assert (err.line, err.field) == (9, "steps[0].ask[0].expr")
    assert "not a valid Python expression" in err.message
    err = load_error(MINIMAL.replace("expr: x.grad", "expr: 'x = 1'"))
    assert err.line == 9 and "not a valid Python expression" in err.message


def test_train_expressions_are_checked_and_x_needs_y(load_error):
    err = load_error(MINIMAL + "  - train:\n      loss: 'losses['\n")
    assert (err.line, err.field) == (12, "steps[1].train.loss")
    err = load_error(MINIMAL + "  - train:\n      x: xs\n")
    assert (err.line, err.field) == (12, "steps[1].train") and "add 'y' too" in err.message
    err = load_error(MINIMAL + "  - train:\n      log_scale: maybe\n")
    assert err.field == "steps[1].train.log_scale" and "expected true or false" in err.message


def test_duplicate_keys_and_question_ids(load_error):
    err = load_error(MINIMAL.replace("title: Tiny", "title: Tiny\ntitle: Again"))
    assert (err.line, err.field) == (3, "") and "the key 'title' is given twice" in err.message
    text = MINIMAL + "      - id: '1.1'\n        expr: y\n"
    err = load_error(text)
    assert err.line == 11 and "question id '1.1' is used twice" in err.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "- id: a\n- id: b\n",
            "the top level must be a mapping with id, title and steps, got a list",
        ),
        ("just words\n", "got a string"),
        ("42\n", "got a number"),
    ],
)
def test_top_level_must_be_a_mapping(load_error, text, words):
    err = load_error(text)
    assert err.line == 1 and words in err.message


def test_invalid_yaml_names_the_line(load_error):
    err = load_error("id: tiny\ntitle: Tiny\nsteps:\n  - code: x\n   bad: indentation\n")
    assert err.line == 5 and err.message.startswith("not valid YAML")
    err = load_error("id: tiny\ntitle: 'unclosed\n")
    assert err.line is not None and "not valid YAML" in err.message


def test_two_documents_in_one_file(load_error):
    err = load_error(MINIMAL + "---\n" + MINIMAL)
    assert err.line == 11 and "not valid YAML" in err.message


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("steps:\n", "steps: !!python/object/apply:os.system\n", 3, "steps", "YAML tag"),
        ("  - code: |", "  - !!omap\n    code: |", 4, "steps[0]", "YAML tag"),
        ("expect: 6", "expect: !!set {6}", 10, "steps[0].ask[0].expect", "got a mapping"),
    ],
)
def test_collection_tags_are_refused(load_error, old, new, line, field, words):
    err = load_error(MINIMAL.replace(old, new))
    assert (err.line, err.field) == (line, field)
    assert words in err.message


def test_python_tags_are_refused(load_error):
    err = load_error(MINIMAL.replace("expect: 6", "expect: !!python/object/apply:os.system [ls]"))
    assert err.line == 10 and err.field == "steps[0].ask[0].expect"


def write_dir(write_lesson, files):
    """Every ``name: text`` of ``files`` in one lessons folder; the folder."""
    return [write_lesson(text, name) for name, text in files.items()][0].parent


def lesson_text(lesson_id, order=None):
    head = f"id: {lesson_id}\ntitle: {lesson_id.title()}\n"
    if order is not None:
        head += f"order: {order}\n"
    return head + "steps:\n  - code: x = 1\n"


def test_a_broken_lesson_does_not_stop_the_others(write_lesson):
    folder = write_dir(
        write_lesson,
        {
            "a.yaml": lesson_text("alpha", order=2),
            "b.yml": lesson_text("beta", order=1),
            "c.yaml": lesson_text("gamma"),
            "d.yaml": lesson_text("delta", order=2),
            "broken.yaml": MINIMAL.replace("expect: 6", "expct: 6"),
            "empty.yaml": "",
            "notes.txt": "not a lesson",
        },
    )
    (folder / "dir.yaml").mkdir()
    lessons, broken = load_lessons(folder)
    assert [lesson.id for lesson in lessons] == ["beta", "alpha", "delta", "gamma"]
    assert [b.id for b in broken] == ["broken", "empty"]
    assert all(isinstance(b, BrokenLesson) for b in broken)
    assert "did you mean 'expect'?" in str(broken[0].error)
    assert str(broken[0].error).startswith(str(folder / "broken.yaml") + ":10:9:")


def test_a_duplicate_id_makes_the_second_file_broken(write_lesson):
    folder = write_dir(
        write_lesson, {"one.yaml": lesson_text("same"), "two.yaml": "# x\n" + lesson_text("same")}
    )
    lessons, broken = load_lessons(folder)
    assert [lesson.path.name for lesson in lessons] == ["one.yaml"]
    (dup,) = broken
    assert dup.path.name == "two.yaml" and dup.error.line == 2 and dup.error.field == "id"
    assert "duplicate lesson id 'same'" in dup.error.message and "one.yaml" in dup.error.message


def test_missing_folder_raises(tmp_path):
    with pytest.raises(LessonsFolderError, match="no such folder"):
        load_lessons(tmp_path / "nope")


def test_find_lessons(write_lesson):
    folder = write_dir(
        write_lesson, {"a.yaml": lesson_text("alpha"), "b.yaml": lesson_text("beta")}
    )
    lessons, _ = load_lessons(folder)
    assert [lesson.id for lesson in find_lessons(lessons, ["beta", "alpha"])] == ["beta", "alpha"]
    with pytest.raises(KeyError) as info:
        find_lessons(lessons, ["alpah"])
    assert "'alpah'" in info.value.args[0] and "did you mean 'alpha'?" in info.value.args[0]


def test_find_lessons_raises_the_error_of_a_broken_lesson_asked_for(write_lesson):
    files = {"alpha.yaml": lesson_text("alpha"), "beta.yaml": MINIMAL.replace("expect", "expct")}
    lessons, broken = load_lessons(write_dir(write_lesson, files))
    with pytest.raises(LessonError) as info:
        find_lessons(lessons, ["alpha", "beta"], broken)
    assert info.value is broken[0].error and "unknown key 'expct'" in str(info.value)


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        (
            "id: t\ntitle: T\nsteps:\n  - code: x = 1\n    ask:\n      - expr: x\n"
            "         expect: 1\n",
            "indentation? line 7 starts at column 10, the key above it at column 9",
        ),
        (
            "id: t\ntitle: T\nsteps:\n  - code: x = 1\n    ask:\n      - expr: x\n"
            "        prompt: x.grad = ? note: careful\n",
            "a ': ' inside the value of 'prompt'? put the value in quotes",
        ),
        (
            "id: t\ntitle: T\nsteps:\n  - code: x = 1\n    ask:\n    - expr: x\n"
            "    explain:\n      expect: 1\n   wrong: 2\n",
            "indentation?",
        ),
    ],
)
def test_yaml_errors_name_the_likely_cause(load_error, text: str, cause: str) -> None:
    err = load_error(text)
    assert "not valid YAML" in str(err) and cause in str(err)
