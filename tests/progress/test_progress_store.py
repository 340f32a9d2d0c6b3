"""The progress store: resume after a restart, files moved aside, results copy, locations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from progress_helpers import FakeLesson, make_attempt

from autograd_tutor.progress import (
    VERSION,
    DocumentError,
    ProgressStore,
    default_student,
    read_document,
)
from autograd_tutor.progress.paths import ENV_DATA, default_data_dir, file_stem


def test_a_new_store_instance_sees_the_saved_attempts(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path, "ada")
    store.record(make_attempt(question_id="2.1", step=1, verdict="wrong", typed="[1, 2]"))
    store.record(make_attempt(question_id="2.1", step=1, verdict="right"))
    store.record(make_attempt(question_id="2.2", step=1, verdict="partial"))

    warnings: list[str] = []
    again = ProgressStore(tmp_path, "ada", on_warning=warnings.append)  # a new terminal
    attempts = again.progress.attempts("chain-rule")
    assert [(a.question_id, a.verdict) for a in attempts] == [
        ("2.1", "wrong"),
        ("2.1", "right"),
        ("2.2", "partial"),
    ]
    assert attempts[0].typed == "[1, 2]"
    assert again.progress.score("chain-rule") == (1.5, 2)  # latest attempt per question
    assert warnings == []


def test_resume_at_the_first_unanswered_step(tmp_path: Path, fake_lesson: FakeLesson) -> None:
    store = ProgressStore(tmp_path, "ada")
    assert store.progress.first_unanswered_step(fake_lesson) == 0
    store.record(make_attempt(question_id="2.1", step=1))
    # 2.2 is still open in step 1; step 0 (an explanation) right before it is shown again
    assert ProgressStore(tmp_path, "ada").progress.first_unanswered_step(fake_lesson) == 0
    store.record(make_attempt(question_id="2.2", step=1, typed=None, verdict="skipped"))
    # step 3 is next; step 2 (no questions) right before it is shown again
    assert ProgressStore(tmp_path, "ada").progress.first_unanswered_step(fake_lesson) == 2
    store.record(make_attempt(question_id="4.1", step=3))
    assert ProgressStore(tmp_path, "ada").progress.first_unanswered_step(fake_lesson) is None


def test_reset_archives_the_attempts_and_starts_over(
    tmp_path: Path, fake_lesson: FakeLesson
) -> None:
    store = ProgressStore(tmp_path, "ada")
    for qid in ("2.1", "2.2", "4.1"):
        store.record(make_attempt(question_id=qid))
    assert store.reset_lesson("chain-rule") == 3
    again = ProgressStore(tmp_path, "ada")
    assert again.progress.attempts("chain-rule") == []
    assert again.progress.first_unanswered_step(fake_lesson) == 0
    doc = read_document(again.path)
    assert len(doc["reset"][0]["attempts"]) == 3  # kept in the record


def test_lesson_changed_keeps_the_old_answers(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path, "ada")
    store.record(make_attempt(question_id="2.1", lesson_hash="v1"))
    assert not store.lesson_changed("chain-rule", "v1")
    assert store.lesson_changed("chain-rule", "v2")
    assert len(ProgressStore(tmp_path, "ada").progress.attempts("chain-rule")) == 1


@pytest.mark.parametrize(
    "content",
    [b"\x00\xff\xfe binary", b'{"format": "autograd-tutor-progress", "vers', b"", b"[1, 2]"],
    ids=["binary", "truncated", "empty", "not-a-document"],
)
def test_a_corrupt_file_is_moved_aside_and_the_learner_is_told_on_the_first_load(
    tmp_path: Path, content: bytes
) -> None:
    # issue 10, bug 3: the warning is pushed to the callback while the first load happens
    warnings: list[str] = []
    store = ProgressStore(tmp_path, "ada", on_warning=warnings.append)
    store.path.write_bytes(content)
    assert warnings == []
    assert store.progress.attempts("chain-rule") == []  # the first load; no exception
    assert len(warnings) == 1
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1
    assert aside[0].read_bytes() == content  # the old file is kept as it was
    assert str(store.path) in warnings[0] and str(aside[0]) in warnings[0]
    assert "moved" in warnings[0]
    store.record(make_attempt())
    assert len(read_document(store.path)["lessons"]["chain-rule"]["attempts"]) == 1


def test_a_newer_version_file_is_moved_aside_not_overwritten(tmp_path: Path) -> None:
    warnings: list[str] = []
    store = ProgressStore(tmp_path, "ada", on_warning=warnings.append)
    newer = {"format": "autograd-tutor-progress", "version": VERSION + 1, "lessons": {}}
    store.path.write_text(json.dumps(newer))
    with pytest.raises(DocumentError) as err:
        read_document(store.path)
    assert err.value.newer
    store.record(make_attempt())  # saving also moves it aside first
    aside = [p for p in tmp_path.iterdir() if ".newer-" in p.name]
    assert len(aside) == 1 and json.loads(aside[0].read_text()) == newer
    assert len(warnings) == 1
    assert "newer" in warnings[0] and str(aside[0]) in warnings[0]
    assert read_document(store.path)["version"] == VERSION


def test_results_dir_gets_a_copy_after_every_save(tmp_path: Path) -> None:
    results = tmp_path / "lab-share"
    store = ProgressStore(tmp_path / "data", "ada lovelace", results)
    store.record(make_attempt(question_id="2.1"))
    store.record(make_attempt(question_id="2.2"))
    copy = results / f"{file_stem('ada lovelace')}.json"
    assert read_document(copy) == read_document(store.path)
    assert len(read_document(copy)["lessons"]["chain-rule"]["attempts"]) == 2
    assert not [p for p in results.iterdir() if p.name.endswith(".tmp")]  # no temp files left


def test_results_dir_that_cannot_be_written_is_a_warning_not_a_lost_save(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the results folder should be")
    warnings: list[str] = []
    store = ProgressStore(tmp_path / "data", "ada", blocker, on_warning=warnings.append)
    store.record(make_attempt())
    assert len(read_document(store.path)["lessons"]["chain-rule"]["attempts"]) == 1
    assert len(warnings) == 1 and str(store.results_path) in warnings[0]
    store.record(make_attempt(question_id="1.2"))  # still failing: said once, not every save
    assert len(warnings) == 1


def test_locations_from_options_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATA, str(tmp_path / "env-data"))
    assert default_data_dir() == tmp_path / "env-data"
    store = ProgressStore.from_options(None, None, None)
    assert store.data_dir == tmp_path / "env-data"
    assert store.student == default_student()
    store = ProgressStore.from_options("Bob/../x", tmp_path / "opt", tmp_path / "res")
    assert store.path.parent == tmp_path / "opt"  # --data-dir wins over the environment
    assert store.path.name == "Bob%2F..%2Fx.json"  # no path separators from a name
    assert store.results_path == tmp_path / "res" / "Bob%2F..%2Fx.json"
    monkeypatch.delenv(ENV_DATA)
    assert default_data_dir().name == "autograd-tutor"


def test_joining_a_lab_with_earlier_progress_writes_the_results_copy_at_once(
    tmp_path: Path,
) -> None:
    ProgressStore(tmp_path / "data", "ada").record(make_attempt())
    results = tmp_path / "lab-share"
    warnings: list[str] = []
    store = ProgressStore(tmp_path / "data", "ada", results, on_warning=warnings.append)
    store.load()  # opening the app, before any new answer
    assert read_document(results / "ada.json") == read_document(store.path)
    assert warnings == []
