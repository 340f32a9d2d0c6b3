"""A results folder is written by learners' machines: ``report`` prints nothing raw from it,
re-scores what it can against the lessons, flags what does not add up, and skips what is not
a results file without following links or reading without bound."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import REPO, child_env, run_cli
from progress_helpers import make_attempt

from autograd_tutor.lessons.loader import load_lesson, load_lessons
from autograd_tutor.progress import FORMAT, VERSION, ProgressStore
from autograd_tutor.progress.report import MAX_FILE_BYTES, build_report
from autograd_tutor.progress.rescore import AnswerKey

LESSON = """\
id: squares
title: Squares
summary: x squared.
steps:
  - explain: A first backward pass.
    code: |
      x = torch.tensor(3.0, requires_grad=True)
      (x ** 2).backward()
    ask:
      - expr: x.grad
        expect: 6
  - explain: Vectors.
    code: |
      v = torch.tensor([1.0, 2.0], requires_grad=True)
      (v ** 2).sum().backward()
    ask:
      - expr: v.grad
        expect: [2, 4]
      - expr: v.grad_fn
"""

HOSTILE = [
    "\x1b[2J\x1b[H",  # clear the screen, cursor home
    "\x1b]0;pwned\x07",  # set the window title
    "\x1b]52;c;cm0gLXJmIH4=\x07",  # write the clipboard (OSC 52)
    "\x9b31m",  # C1 CSI
    "\r\x1b[1A",  # rewrite the line above
    "\u202egnp.exe",  # right-to-left override
]


def _attempt(**fields: object) -> dict:
    return make_attempt(**fields).to_json()  # type: ignore[arg-type]


def _document(student: str, attempts: list[dict]) -> dict:
    lessons: dict = {}
    for a in attempts:
        lessons.setdefault(a["lesson_id"], {"hash": a["lesson_hash"], "attempts": []})
        lessons[a["lesson_id"]]["attempts"].append(a)
    return {"format": FORMAT, "version": VERSION, "student": student, "lessons": lessons}


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    folder.mkdir()
    for i, bad in enumerate(HOSTILE):
        attempts = [
            _attempt(
                lesson_id=f"lesson{bad}",
                question_id=f"1.{i}{bad}",
                expr=f"x.grad{bad}",
                typed=f"[1, {bad}2]",
                verdict="wrong",
                diagnoses=(f"sign{bad}",),
                feedback=f"flipped{bad}",
                lesson_hash=f"h{bad}",
            ),
            _attempt(lesson_id=f"lesson{bad}", question_id=f"1.{i}{bad}", verdict="right"),
        ]
        attempts[1]["lesson_id"] = f"lesson{bad}"
        (folder / f"learner{i}{bad}.json").write_text(
            json.dumps(_document(f"Eve{bad}{i}", attempts)), encoding="utf-8"
        )
    (folder / "broken\x1b[31m.json").write_bytes(b'{"format": "\x1b]52;c;eA==\x07')
    return folder


def _assert_no_raw_controls(output: bytes) -> None:
    bad = sorted({b for b in output if b < 0x20 and b not in (0x0A, 0x09)})
    assert bad == [], f"raw control bytes {bad} reached the output"
    text = output.decode("utf-8")
    assert not re.search("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


def test_report_piped_prints_no_control_characters_from_the_files(hostile_folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "autograd_tutor", "report", str(hostile_folder)],
        capture_output=True,
        env=child_env(),
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    _assert_no_raw_controls(done.stdout)
    _assert_no_raw_controls(done.stderr)
    text = done.stdout.decode()
    assert "\\x1b]52;c;cm0gLXJmIH4=\\x07" in text  # shown, written out visibly
    assert "Eve\\x1b[2J\\x1b[H0" in text
    assert "broken\\x1b[31m.json" in text  # the file name of a skipped file too


def _run_in_pty(args: list[str]) -> bytes:
    """Run the CLI with its stdout on a pseudo-terminal (as a teacher's terminal), and return
    everything written to it."""
    master, slave = pty.openpty()
    env = child_env(COLUMNS="80", LINES="24", TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "autograd_tutor", *args],
        stdout=slave,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=REPO,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).replace(b"\r\n", b"\n")


def test_report_on_a_terminal_prints_no_control_characters_from_the_files(
    hostile_folder: Path,
) -> None:
    output = _run_in_pty(["report", str(hostile_folder)])
    assert b"\x1b[" in output  # a terminal gets colour ...
    # ... and nothing else: without the colour codes rich writes, no control byte is left
    _assert_no_raw_controls(re.sub(rb"\x1b\[[0-9;]*m", b"", output))
    assert b"\\x1b]0;pwned\\x07" in output
    _assert_no_raw_controls(_run_in_pty(["report", str(hostile_folder), "--color", "never"]))


def test_csv_and_export_print_no_control_characters(hostile_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    assert run_cli(["report", str(hostile_folder), "--csv", str(out)]).returncode == 0
    _assert_no_raw_controls(out.read_bytes())
    data = tmp_path / "data"
    store = ProgressStore(data, "eve")
    store.record(make_attempt(typed="\x1b]52;c;eA==\x07 \x9b2J", feedback="\x1b[2J"))
    for fmt in ("json", "csv"):
        done = subprocess.run(
            [sys.executable, "-m", "autograd_tutor", "export", "--data-dir", str(data)]
            + ["--student", "eve", "--format", fmt],
            capture_output=True,
            env=child_env(),
            cwd=REPO,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        _assert_no_raw_controls(done.stdout)
        if fmt == "json":  # JSON's own escapes: the same data, read back exactly
            attempt = json.loads(done.stdout)["lessons"]["chain-rule"]["attempts"][0]
            assert attempt["typed"] == "\x1b]52;c;eA==\x07 \x9b2J"
        else:
            assert "\\x1b]52;c;eA==\\x07 \\x9b2J" in done.stdout.decode()


@pytest.fixture
def lessons_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "squares.yaml").write_text(LESSON)
    return folder


def test_report_with_lessons_flags_an_edited_results_file(
    tmp_path: Path, lessons_dir: Path
) -> None:
    lesson_hash = load_lesson(lessons_dir / "squares.yaml").content_hash
    results = tmp_path / "results"

    def learner(name: str) -> ProgressStore:
        return ProgressStore(tmp_path / "data" / name, name, results)

    honest = learner("fay")
    honest.record(make_attempt("squares", "1.1", typed="6", lesson_hash=lesson_hash))
    honest.record(
        make_attempt("squares", "2.1", typed="[2, 4]", lesson_hash=lesson_hash, expr="v.grad")
    )
    honest.record(
        make_attempt(
            "squares",
            "2.2",
            typed="None",
            verdict="wrong",
            lesson_hash=lesson_hash,
            expr="v.grad_fn",
        )
    )
    cheat = learner("eve")
    cheat.record(
        make_attempt("squares", "1.1", typed="5", verdict="wrong", lesson_hash=lesson_hash)
    )
    cheat.record(
        make_attempt(
            "squares",
            "2.1",
            typed="[2, 3]",
            verdict="partial",
            lesson_hash=lesson_hash,
            expr="v.grad",
        )
    )
    # eve edits her results file: every verdict right, full credit
    doc = json.loads((results / "eve.json").read_text())
    for a in doc["lessons"]["squares"]["attempts"]:
        a["verdict"], a["credit"], a["diagnoses"] = "right", 1.0, []
    (results / "eve.json").write_text(json.dumps(doc))

    key = AnswerKey.from_lessons(load_lessons(lessons_dir)[0])
    report = build_report(results, jobs=1, key=key)
    by_name = {t.student: t for t in report.learners}
    eve, fay = by_name["eve"], by_name["fay"]
    assert (eve.verified, eve.disagree) == (2, 2)
    assert eve.credit == pytest.approx(0.5)  # counted as re-scored: wrong, and half of [2, 3]
    assert any(note.startswith("edited by hand?") for note in eve.notes)
    assert "'5' stored as right 1, scores wrong 0" in eve.example
    assert (fay.verified, fay.disagree, fay.notes) == (2, 0, ())  # 2.2 has no expect
    first_try = {q.question_id: q.first_right for q in report.questions}
    assert first_try["1.1"] == 1  # fay only: eve's stored "right" does not count
    parallel = build_report(results, jobs=2, key=key)  # worker processes get the key too
    assert (parallel.learners, parallel.questions) == (report.learners, report.questions)

    done = run_cli(["report", str(results), "--lessons", str(lessons_dir)])
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "! edited by hand? 2 stored verdicts disagree with scoring what was typed" in text
    assert "Verified: 4 of 5 attempts scored again" in text
    # every line fits 80 columns but the folder's own path, which is as long as it is
    # (pytest's temporary folders are longer under xdist)
    lines = [line for line in done.stdout.splitlines() if line.strip() != f"{results}:"]
    assert max(map(len, lines)) <= 80
    # without --lessons, "squares" is no bundled lesson: nothing can be verified
    plain = run_cli(["report", str(results)])
    assert "edited by hand" not in plain.stdout


def test_bundled_lessons_verify_bundled_lesson_ids_by_default(tmp_path: Path) -> None:
    lessons, _ = load_lessons(None)
    lesson, question = next(
        (lesson, q)
        for lesson in lessons
        for step in lesson.steps
        for q in step.questions
        if AnswerKey.from_lessons([lesson]).entries.get((lesson.id, q.id))
    )
    entry = AnswerKey.from_lessons([lesson]).entries[lesson.id, question.id]
    results = tmp_path / "results"
    store = ProgressStore(tmp_path / "data", "gil", results)
    store.record(
        make_attempt(
            lesson.id,
            question.id,
            typed="123456789",
            verdict="wrong",
            lesson_hash=lesson.content_hash,
            expr=question.expr,
        )
    )
    doc = json.loads((results / "gil.json").read_text())
    doc["lessons"][lesson.id]["attempts"][0].update(verdict="right", credit=1.0)
    (results / "gil.json").write_text(json.dumps(doc))
    done = run_cli(["report", str(results)])
    assert done.returncode == 0, done.stderr
    assert "edited by hand?" in done.stdout, (entry, done.stdout)


def test_report_flags_a_file_named_for_another_student_and_duplicates(tmp_path: Path) -> None:
    results = tmp_path / "results"
    ProgressStore(tmp_path / "data", "alice", results).record(make_attempt())
    (results / "mallory.json").write_bytes((results / "alice.json").read_bytes())
    report = build_report(results, jobs=1)
    notes = {t.path.name: " ".join(t.notes) for t in report.learners}
    assert "file name mallory.json does not match the student inside" in notes["mallory.json"]
    assert "the same student is also in alice.json" in notes["mallory.json"]
    assert "the same student is also in mallory.json" in notes["alice.json"]
    assert "does not match" not in notes["alice.json"]


def test_what_is_not_a_results_file_is_named_and_skipped_without_following_it(
    tmp_path: Path,
) -> None:
    results = tmp_path / "results"
    outside = tmp_path / "outside"
    ProgressStore(tmp_path / "data", "ann", results).record(make_attempt())
    ProgressStore(tmp_path / "data", "oscar", outside).record(make_attempt())
    (results / "zero.json").symlink_to("/dev/zero")
    (results / "oscar.json").symlink_to(outside / "oscar.json")
    (results / "escape.json").symlink_to("../outside/oscar.json")
    os.mkfifo(results / "fifo.json")  # opening it to read would wait forever
    (results / "folder.json").mkdir()
    with open(results / "huge.json", "wb") as fh:  # sparse: no disk used
        fh.truncate(MAX_FILE_BYTES + 1)
    (results / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    (results / "nested.json").write_text('{"a":' * 200_000 + "1" + "}" * 200_000)
    big = json.loads((results / "ann.json").read_text())
    big["student"] = "numbers"
    big["lessons"]["chain-rule"]["attempts"][0]["step"] = int("9" * 4000)
    (results / "numbers.json").write_text(json.dumps(big))
    report = build_report(results, jobs=1)
    assert [t.student for t in report.learners] == ["ann"]  # oscar's file is never read
    reasons = {p.path.name: p.reason for p in report.problems}
    assert set(reasons) == {
        "zero.json",
        "oscar.json",
        "escape.json",
        "fifo.json",
        "folder.json",
        "huge.json",
        "deep.json",
        "nested.json",
        "numbers.json",
    }
    assert "symbolic link" in reasons["zero.json"] and "symbolic link" in reasons["escape.json"]
    assert "not a regular file" in reasons["fifo.json"]
    assert "too large" in reasons["huge.json"]
    assert "numbers.json" in reasons and "step" in reasons["numbers.json"]
