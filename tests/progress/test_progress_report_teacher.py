"""What a teacher asked for: attempts checked against the teacher's lessons (forged ones never
counted, one line per learner), names that cannot hide, a gradebook, misconceptions in words,
``-`` for standard output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_runner import run_cli
from hostile_results import INVISIBLE_NAMES, LOOKALIKE_NAMES
from progress_helpers import make_attempt

from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.progress import FORMAT, VERSION
from autograd_tutor.progress.report import build_report, report_lines
from autograd_tutor.progress.report.gradebook import gradebook_csv
from autograd_tutor.progress.rescore import AnswerKey


@pytest.fixture(scope="module")
def key() -> AnswerKey:
    return AnswerKey.from_lessons(load_lessons(None)[0])


def _doc(student: str, lessons: dict) -> dict:
    return {"format": FORMAT, "version": VERSION, "student": student, "lessons": lessons}


def _honest(key: AnswerKey, lesson_id: str = "first-gradient", **fields: object) -> dict:
    shape = key.shapes[lesson_id]
    qid, expr = next(iter(shape.questions.items()))
    attempt = make_attempt(lesson_id, qid, expr=expr, lesson_hash=shape.lesson_hash, **fields)
    return attempt.to_json()  # type: ignore[no-any-return]


def test_forged_attempts_are_not_counted_and_cost_one_line(tmp_path: Path, key: AnswerKey) -> None:
    results = tmp_path / "results"
    results.mkdir()
    shape = key.shapes["first-gradient"]
    qid, expr = next(iter(shape.questions.items()))
    good = _honest(key, typed="0", verdict="wrong")
    other_expr = dict(good, expr="@SUM(1+1)", verdict="right", credit=1.0)
    no_question = dict(good, question_id="9.9", verdict="right", credit=1.0)
    other_version = dict(good, lesson_hash="made-up", verdict="right", credit=1.0)
    lessons = {
        "first-gradient": {
            "hash": shape.lesson_hash,
            "attempts": [good, other_expr, no_question, other_version],
        }
    }
    for i in range(5000):  # a file's made-up lessons
        made_up = dict(good, lesson_id=f"made-up-{i}", verdict="right", credit=1.0)
        lessons[f"made-up-{i}"] = {"hash": "x", "attempts": [made_up]}
    (results / "mallory.json").write_text(json.dumps(_doc("mallory", lessons)))
    report = build_report(results, jobs=1, key=key)
    (mallory,) = report.learners
    assert (mallory.attempts, mallory.answered, mallory.credit) == (1, 1, 0.0)
    assert [(q.lesson_id, q.question_id, q.expr) for q in report.questions] == [
        ("first-gradient", qid, expr)
    ]
    assert [s.lesson_id for s in report.lessons] == ["first-gradient"]
    (note,) = [n for n in mallory.notes if n.startswith("not counted")]
    assert note == (
        "not counted: 5003 attempts (1 with another expression than the question's; "
        "5000 for lessons these lessons do not include (5000 lesson ids); "
        "1 for questions these lessons do not have; 1 for another version of a lesson)"
    )
    text = "\n".join(line for line, _style in report_lines(report))
    assert "made-up-1" not in text and "@SUM" not in text
    assert len(text.splitlines()) < 40  # 5,000 lessons cost one line


@pytest.mark.parametrize(("name", "shown"), INVISIBLE_NAMES)
def test_invisible_characters_in_a_name_are_written_out(
    tmp_path: Path, key: AnswerKey, name: str, shown: str
) -> None:
    results = tmp_path / "results"
    results.mkdir()
    (results / "x.json").write_text(json.dumps(_doc(name, {})))
    report = build_report(results, jobs=1, key=key)
    table = [line for line, _style in report_lines(report)]
    assert any(line.startswith(shown + " ") for line in table), table
    assert gradebook_csv(report).count(shown) <= 1


@pytest.mark.parametrize(("first", "second"), LOOKALIKE_NAMES)
def test_names_that_look_alike_are_flagged(
    tmp_path: Path, key: AnswerKey, first: str, second: str
) -> None:
    results = tmp_path / "results"
    results.mkdir()
    (results / "a.json").write_text(json.dumps(_doc(first, {})))
    (results / "b.json").write_text(json.dumps(_doc(second, {})))
    (results / "c.json").write_text(json.dumps(_doc("zed", {})))  # looks like nobody
    report = build_report(results, jobs=1, key=key)
    flagged = {t.student for t in report.learners if any("looks like" in n for n in t.notes)}
    assert flagged == {first, second}


def test_gradebook_and_stdout(tmp_path: Path, key: AnswerKey) -> None:
    results = tmp_path / "results"
    results.mkdir()
    shape = key.shapes["first-gradient"]
    attempts = []
    for qid, expr in shape.questions.items():
        a = make_attempt(
            "first-gradient", qid, expr=expr, lesson_hash=shape.lesson_hash, typed="0"
        ).to_json()
        attempts.append(a)
    lessons = {"first-gradient": {"hash": shape.lesson_hash, "attempts": attempts}}
    (results / "ann.json").write_text(json.dumps(_doc("ann", lessons)))
    (results / "bob.json").write_text(
        json.dumps(
            _doc("bob", {"first-gradient": {"hash": shape.lesson_hash, "attempts": attempts[:1]}})
        )
    )
    done = run_cli(["report", str(results), "--gradebook", "-"])
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))  # the CSV alone on standard output
    assert rows[0] == [
        "student",
        "file",
        "first-gradient score %",
        "first-gradient finished",
        "first-gradient exercises passed",
    ]
    ann, bob = rows[1], rows[2]
    assert ann[0] == "ann" and ann[3] == (
        "yes" if not shape.exercises and not shape.experiments else "no"
    )
    assert bob[3] == "no"
    text = run_cli(["report", str(results)]).stdout
    assert "Gradebook" in text and "first-gradient" in text
    done = run_cli(["report", str(results), "--csv", "-"])
    assert done.stdout.startswith("lesson_id,question_id,expr,")
    assert not (Path.cwd() / "-").exists()
    both = run_cli(["report", str(results), "--csv", "-", "--gradebook", "-"])
    assert both.returncode == 2 and "only one of" in both.stderr
