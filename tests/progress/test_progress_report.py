"""``autograd-tutor report DIR``: a lab folder with good, broken and outdated results files."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from cli_runner import child_env, run_cli
from progress_helpers import make_attempt, teacher_lessons_for

from autograd_tutor.progress import VERSION, ProgressStore
from autograd_tutor.progress.report import (
    CSV_HEADERS,
    Report,
    build_report,
    normalize_answer,
)

SIGN = ("sign",)
SIGN_MSG = "The sign is flipped."


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A shared results folder as learners' stores leave it, plus broken and odd files."""
    root = tmp_path_factory.mktemp("lab")
    results = root / "results"

    def learner(name: str) -> ProgressStore:
        return ProgressStore(root / "data" / name, name, results)

    # dave took chain-rule first, before its author changed it (hash v0)
    dave = learner("dave")
    dave.record(
        make_attempt(
            "chain-rule",
            "2.1",
            verdict="wrong",
            typed="[-2., -4.]",
            lesson_hash="v0",
            diagnoses=SIGN,
            feedback=SIGN_MSG,
        )
    )
    alice = learner("alice")
    alice.record(
        make_attempt(
            "chain-rule",
            "2.1",
            verdict="wrong",
            typed="[-2.,-4.]",
            lesson_hash="v1",
            diagnoses=SIGN,
            feedback=SIGN_MSG,
        )
    )
    alice.record(make_attempt("chain-rule", "2.1", verdict="right", lesson_hash="v1"))
    alice.record(make_attempt("chain-rule", "2.2", verdict="right", lesson_hash="v1"))
    alice.record(
        make_attempt(
            "mean-grad",
            "1.1",
            verdict="wrong",
            typed="[1., 1.]",
            diagnoses=("mean",),
            feedback="mean() divides by n.",
        )
    )
    bob = learner("bob")
    bob.record(
        make_attempt(
            "chain-rule",
            "2.1",
            verdict="wrong",
            typed="[ -2.,  -4. ]",
            lesson_hash="v1",
            diagnoses=SIGN,
            feedback=SIGN_MSG,
        )
    )
    bob.record(
        make_attempt(
            "chain-rule",
            "2.1",
            verdict="wrong",
            typed="[4., 8.]",
            lesson_hash="v1",
            diagnoses=("accumulation",),
        )
    )
    bob.record(
        make_attempt("chain-rule", "2.2", verdict="partial", typed="[1., 2.]", lesson_hash="v1")
    )
    carol = learner("carol")
    carol.record(make_attempt("chain-rule", "2.1", verdict="right", lesson_hash="v1"))
    carol.record(make_attempt("chain-rule", "2.2", verdict="right", lesson_hash="v1"))
    carol.record(make_attempt("mean-grad", "1.1", verdict="right"))

    good = (results / "alice.json").read_bytes()
    (results / "binary.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    (results / "truncated.json").write_bytes(good[: len(good) // 2])
    (results / "empty.json").write_bytes(b"")
    (results / "other-format.json").write_text(json.dumps({"format": "something-else"}))
    (results / "a-list.json").write_text("[1, 2, 3]")
    newer = json.loads(good)
    newer["version"] = VERSION + 1
    newer["student"] = "from-the-future"
    (results / "newer.json").write_text(json.dumps(newer))
    malformed = json.loads((results / "carol.json").read_text())
    malformed["student"] = "mallory"
    del malformed["lessons"]["chain-rule"]["attempts"][1]["verdict"]
    (results / "malformed.json").write_text(json.dumps(malformed))
    (results / ".carol.json.123.0badc0de.tmp").write_bytes(good[:10])  # a save in progress
    (results / "notes.txt").write_text("not a results file")
    return results


@pytest.fixture(scope="module")
def report(lab: Path) -> Report:
    return build_report(lab, jobs=1)


def test_per_learner_totals(report: Report) -> None:
    totals = {t.student: (t.lessons, t.attempts, t.answered, t.credit) for t in report.learners}
    assert totals == {
        "alice": (2, 4, 3, 2.0),
        "bob": (1, 3, 2, 0.5),
        "carol": (2, 3, 3, 3.0),
        "dave": (1, 1, 1, 0.0),
    }


def test_broken_newer_and_malformed_files_are_reported_and_skipped(report: Report) -> None:
    reasons = {p.path.name: p.reason for p in report.problems}
    assert set(reasons) == {
        "binary.json",
        "truncated.json",
        "empty.json",
        "other-format.json",
        "a-list.json",
        "newer.json",
        "malformed.json",
    }
    assert "binary" in reasons["binary.json"]
    assert "truncated" in reasons["truncated.json"]
    assert "empty" in reasons["empty.json"]
    assert "not a progress document" in reasons["other-format.json"]
    assert "not a progress document" in reasons["a-list.json"]
    assert "newer" in reasons["newer.json"]
    assert "malformed" in reasons["malformed.json"] and "verdict" in reasons["malformed.json"]


def test_per_question_first_try_and_common_wrong_answers(report: Report) -> None:
    by_key = {(q.lesson_id, q.question_id, q.expr): q for q in report.questions}
    assert list(by_key) == [  # lesson, then question order
        ("chain-rule", "2.1", "x.grad"),
        ("chain-rule", "2.2", "x.grad"),
        ("mean-grad", "1.1", "x.grad"),
    ]
    q = by_key["chain-rule", "2.1", "x.grad"]
    assert (q.learners, q.first_right, q.attempts) == (4, 1, 6)  # mallory's file adds nothing
    assert q.first_right_share == pytest.approx(0.25)
    # three spellings of one answer count together, with the misconception it maps to
    assert [(w.text, w.count, w.names) for w in q.wrong] == [
        ("[-2., -4.]", 3, "sign flipped"),
        ("[4., 8.]", 1, "gradients accumulated over backward() calls"),
    ]
    assert q.wrong[0].misconception == f"sign flipped: {SIGN_MSG}"  # words, never the codes
    q = by_key["chain-rule", "2.2", "x.grad"]
    assert (q.learners, q.first_right) == (3, 2)
    assert [(w.text, w.count) for w in q.wrong] == [("[1., 2.]", 1)]  # partial credit
    q = by_key["mean-grad", "1.1", "x.grad"]
    assert (q.learners, q.first_right, q.wrong[0].misconception) == (
        2,
        1,
        "mean and sum confused: mean() divides by n.",
    )


def test_lowest_scores_and_older_lesson_versions(report: Report) -> None:
    lessons = [(s.lesson_id, s.learners, s.answered, round(s.percent)) for s in report.lessons]
    assert lessons == [("mean-grad", 2, 2, 50), ("chain-rule", 4, 7, 64)]
    chain = report.lessons[1]
    assert (chain.older_version, chain.older_examples) == (1, ("dave",))
    assert report.lessons[0].older_version == 0


def test_worker_processes_give_the_same_report(lab: Path, report: Report) -> None:
    parallel = build_report(lab, jobs=2)
    assert parallel.learners == report.learners
    assert parallel.questions == report.questions
    assert parallel.lessons == report.lessons
    assert parallel.problems == report.problems


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("[1,2]", "[1, 2]"),
        ("  [ 1 ,   2 ]  ", "[1, 2]"),
        ("[[1,2],\n [3,4]]", "[[1, 2], [3, 4]]"),
        ("None", "None"),
        ("tensor( [1.,2.] )", "tensor([1., 2.])"),
    ],
)
def test_wrong_answers_are_normalised_by_whitespace(typed: str, expected: str) -> None:
    assert normalize_answer(typed) == expected


@pytest.fixture
def lab_and_lessons(lab: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the lab, and the teacher's lessons its newest attempts were given to."""
    folder = tmp_path / "lab"
    shutil.copytree(lab, folder, symlinks=True)
    return folder, teacher_lessons_for(folder, tmp_path / "lessons")


def test_cli_plain_output_when_piped_and_csv(
    lab_and_lessons: tuple[Path, Path], tmp_path: Path
) -> None:
    lab, lessons = lab_and_lessons
    out_csv = tmp_path / "questions.csv"
    done = run_cli(["report", str(lab), "--lessons", str(lessons), "--csv", str(out_csv)])
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "\x1b" not in text  # no colour or cursor codes in a pipe
    for needle in (
        "Learners",
        "Questions",
        "Lessons with the lowest scores",
        "Skipped files (7)",
        "truncated.json: truncated JSON",
        "not counted: 1 attempt (1 for another version of a lesson)",  # dave's
        "sign flipped: The sign is flipped.",
    ):
        assert needle in text
    header = next(line for line in text.splitlines() if line.startswith("Learner "))
    alice = next(line for line in text.splitlines() if line.startswith("alice "))
    assert alice.index("67%") + 3 == header.index("Score") + len("Score")  # aligned columns
    assert "4 learners, 10 attempts (1 not counted: see the learners' notes)," in " ".join(
        text.split()
    )
    assert max(map(len, text.splitlines())) <= 80  # readable at 80 columns
    with out_csv.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == CSV_HEADERS
    first = rows[0]
    assert (first["lesson_id"], first["question_id"], first["expr"]) == (
        "chain-rule",
        "2.1",
        "x.grad",
    )
    # dave's attempt, given to another version of chain-rule, is not counted
    assert (first["learners"], first["right_first_try"], first["attempts"]) == ("3", "1", "5")
    assert float(first["right_first_try_share"]) == pytest.approx(1 / 3, abs=1e-4)
    assert (first["wrong_1"], first["wrong_1_count"]) == ("[-2., -4.]", "2")
    assert first["wrong_1_misconception"] == f"sign flipped: {SIGN_MSG}"
    assert first["wrong_3"] == ""
    assert len(rows) == 3


def test_cli_rich_tables_when_asked(lab_and_lessons: tuple[Path, Path]) -> None:
    lab, lessons = lab_and_lessons
    done = run_cli(["report", str(lab), "--lessons", str(lessons), "--color", "always"])
    assert done.returncode == 0, done.stderr
    assert "\x1b[" in done.stdout and "chain-rule" in done.stdout


def test_cli_on_a_missing_or_empty_folder(tmp_path: Path) -> None:
    done = run_cli(["report", str(tmp_path / "nowhere")])
    assert done.returncode == 2 and "not a folder" in done.stderr
    done = run_cli(["report", str(tmp_path)])
    assert done.returncode == 1 and "no results files" in done.stdout


def test_report_and_export_load_neither_textual_nor_torch(lab: Path) -> None:
    probe = (
        "import io, sys\n"
        "from autograd_tutor.cli import main\n"
        f"assert main(['report', {str(lab)!r}, '--color', 'always']) == 0\n"
        "assert main(['export', '--data-dir', sys.argv[1], '--student', 'x']) == 0\n"
        "print(sorted(m for m in ('textual', 'torch') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(lab)], capture_output=True, text=True, env=child_env()
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _break_question_id(doc: dict) -> None:
    doc["lessons"]["chain-rule"]["attempts"][0]["question_id"] = 21


def _break_typed(doc: dict) -> None:
    doc["lessons"]["chain-rule"]["attempts"][0]["typed"] = ["-2", "-4"]


def _break_feedback(doc: dict) -> None:
    doc["lessons"]["chain-rule"]["attempts"][0]["feedback"] = {"text": "x"}


def _break_credit(doc: dict) -> None:
    doc["lessons"]["chain-rule"]["attempts"][-1]["credit"] = "1.0"


def _break_attempts(doc: dict) -> None:
    doc["lessons"]["chain-rule"]["attempts"] = {"0": {}}


def _break_entry(doc: dict) -> None:
    doc["lessons"]["chain-rule"] = ["not", "an", "entry"]


@pytest.mark.parametrize(
    "damage",
    [
        _break_question_id,
        _break_typed,
        _break_feedback,
        _break_credit,
        _break_attempts,
        _break_entry,
    ],
)
def test_a_malformed_file_leaves_no_trace_in_the_tallies(
    lab: Path, report: Report, tmp_path: Path, damage
) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    for path in lab.glob("*.json"):
        (folder / path.name).write_bytes(path.read_bytes())
    doc = json.loads((lab / "alice.json").read_text())
    doc["student"] = "eve"
    damage(doc)
    (folder / "eve.json").write_text(json.dumps(doc))
    again = build_report(folder, jobs=1)
    assert [p.path.name for p in again.problems if p.path.name == "eve.json"] == ["eve.json"]
    assert again.learners == [replace(t, path=folder / t.path.name) for t in report.learners]
    assert again.questions == report.questions
    assert again.lessons == report.lessons
