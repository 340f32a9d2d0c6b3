"""``progress.report.read``: one results file read and verified, the public entry point that
``report`` and the live lab view share."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from progress_helpers import make_attempt

from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.progress import FORMAT, VERSION
from autograd_tutor.progress.report import (
    MAX_FILE_BYTES,
    UnusableResultsFile,
    Verifier,
    verify_results_file,
)
from autograd_tutor.progress.rescore import AnswerKey


def _write(path: Path, student: str, attempts: list[dict]) -> Path:
    lessons: dict = {}
    for a in attempts:
        lessons.setdefault(a["lesson_id"], {"hash": a["lesson_hash"], "attempts": []})
        lessons[a["lesson_id"]]["attempts"].append(a)
    doc = {"format": FORMAT, "version": VERSION, "student": student, "lessons": lessons}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def key() -> AnswerKey:
    lessons, _broken = load_lessons(None)
    return AnswerKey.from_lessons(lessons)


def _first_gradient(key: AnswerKey) -> tuple[str, str, str]:
    (_lesson_id, question_id), entry = next(
        (k, e) for k, e in key.entries.items() if k[0] == "first-gradient"
    )
    return question_id, entry.lesson_hash, key.shapes["first-gradient"].questions[question_id]


def test_a_file_edited_by_hand_is_verified_against_the_key(tmp_path: Path, key: AnswerKey) -> None:
    question_id, lesson_hash, expr = _first_gradient(key)
    forged = make_attempt(
        "first-gradient",
        question_id,
        typed="12345",
        verdict="right",
        lesson_hash=lesson_hash,
        expr=expr,
    ).to_json()
    path = _write(tmp_path / "mallory.json", "mallory", [forged])
    results = verify_results_file(path, key)
    assert results.student == "mallory"
    assert results.verified == 1 and results.disagree == 1
    assert results.verdicts == ["wrong"] and results.credits == [0.0]
    assert "stored as right 1, scores wrong 0" in results.example
    # without a key nothing is re-scored: the stored verdict stands, unverified
    bare = verify_results_file(path)
    assert (bare.verified, bare.verdicts, bare.credits) == (0, ["right"], [1.0])


def test_a_verifier_reads_many_files_with_one_key(tmp_path: Path, key: AnswerKey) -> None:
    question_id, lesson_hash, expr = _first_gradient(key)
    verifier = Verifier(key)
    for name in ("ann", "bob"):
        attempt = make_attempt(
            "first-gradient",
            question_id,
            typed="0",
            verdict="wrong",
            lesson_hash=lesson_hash,
            expr=expr,
        ).to_json()
        results = verifier.read(_write(tmp_path / f"{name}.json", name, [attempt]))
        assert results.verified == 1 and results.disagree == 0
        assert results.lesson_meta["first-gradient"][0] == lesson_hash


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01binary", "not"),
        (b'{"format": "something-else", "version": 1}', "format"),
        (b'{"format": "autograd-tutor-progress", "version": 99}', "newer"),
    ],
)
def test_an_unusable_file_says_why(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(UnusableResultsFile) as caught:
        verify_results_file(path)
    assert reason in caught.value.reason.lower()


def test_a_link_is_never_followed_and_a_huge_file_never_read(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    _write(target, "x", [])
    link = tmp_path / "link.json"
    os.symlink(target, link)
    with pytest.raises(UnusableResultsFile, match="cannot be read"):
        verify_results_file(link)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(UnusableResultsFile, match="too large"):
        verify_results_file(huge)
