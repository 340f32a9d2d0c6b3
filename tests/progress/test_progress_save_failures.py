"""A save that fails loses nothing: the answers stay in the store's memory (the session and its
summary read them), a copy of the whole progress goes to the rescue folder, the next save
writes every change still unsaved, and ``save_state`` says what did not reach its file, in
words and as an exit status."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from progress_helpers import make_attempt
from save_failures import block, chmod_stops_writes, unblock

from autograd_tutor.errors import ExitStatus
from autograd_tutor.progress import ProgressSaveError, ProgressStore, read_document
from autograd_tutor.progress import store as store_module
from autograd_tutor.progress.save_state import rescue_folder


@pytest.fixture(autouse=True)
def rescue_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The rescue folder in the system's temporary folder (``TMPDIR``) of this test."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    monkeypatch.setattr(store_module, "rescue_folder", rescue_folder)
    return folder


def typed(path: Path) -> list[str]:
    doc = read_document(path)
    assert doc is not None
    return [a["question_id"] for a in doc["lessons"]["chain-rule"]["attempts"]]


def test_a_data_folder_blocked_mid_lesson_keeps_every_answer_and_writes_them_later(
    tmp_path: Path, rescue_in_tmp: Path
) -> None:
    data = tmp_path / "data"
    store = ProgressStore(data, "ada")
    store.load()
    store.record(make_attempt(question_id="1.1"))
    assert store.save_state.ok and store.save_state.exit_status() == ExitStatus.OK
    block(data)
    with pytest.raises(ProgressSaveError) as failed:
        store.record(make_attempt(question_id="1.2"))
    with pytest.raises(ProgressSaveError):
        store.record(make_attempt(question_id="1.3"))
    rescue = rescue_in_tmp / f"autograd-tutor-unsaved-{os.getuid()}" / "ada.json"
    assert f"a copy is kept in {rescue}" in str(failed.value)
    # the session reads all three; the rescue copy holds all three
    assert [a.question_id for a in store.progress.attempts("chain-rule")] == ["1.1", "1.2", "1.3"]
    assert typed(rescue) == ["1.1", "1.2", "1.3"]
    state = store.save_state
    assert state.exit_status() == ExitStatus.DATA_UNWRITABLE
    words = " ".join(state.lines())
    assert f"Your progress was NOT saved: 2 changes could not be written to {store.path}" in words
    assert f"A copy of all your progress is kept in {rescue}" in words
    store.retry_unsaved()  # still blocked: nothing changes, nothing raised
    assert state.exit_status() == ExitStatus.DATA_UNWRITABLE
    unblock(data)
    store.retry_unsaved()  # writable again: everything unsaved is written, in order
    assert typed(store.path) == ["1.1", "1.2", "1.3"]
    assert state.ok and state.lines() == [] and state.exit_status() == ExitStatus.OK
    store.record(make_attempt(question_id="1.4"))  # and nothing is written twice
    assert typed(store.path) == ["1.1", "1.2", "1.3", "1.4"]


def test_a_results_folder_blocked_mid_lesson_is_said_with_where_the_progress_is(
    tmp_path: Path,
) -> None:
    results = tmp_path / "lab"
    store = ProgressStore(tmp_path / "data", "ada", results, on_warning=lambda _: None)
    store.record(make_attempt(question_id="1.1"))
    block(results)
    store.record(make_attempt(question_id="1.2"))  # the progress file is saved: no error
    assert typed(store.path) == ["1.1", "1.2"]
    state = store.save_state
    assert state.exit_status() == ExitStatus.RESULTS_NOT_SAVED
    (line,) = state.lines()
    assert line.startswith(
        f"Your results did NOT reach the results folder: {store.results_path} could not be "
        "written ("
    )
    assert f"your progress is saved in {store.path}" in line
    unblock(results)
    assert typed(results / "ada.json") == ["1.1"]
    store.retry_unsaved()  # the folder is back: the latest copy goes there
    assert typed(results / "ada.json") == ["1.1", "1.2"]
    assert state.ok and state.exit_status() == ExitStatus.OK


def test_a_results_folder_made_read_only_mid_lesson(tmp_path: Path) -> None:
    results = tmp_path / "lab"
    results.mkdir()
    if not chmod_stops_writes(results):
        pytest.skip("a read-only mode does not stop this user (root): block() covers it")
    store = ProgressStore(tmp_path / "data", "ada", results, on_warning=lambda _: None)
    store.record(make_attempt(question_id="1.1"))
    results.chmod(0o555)
    try:
        store.record(make_attempt(question_id="1.2"))
        assert store.save_state.exit_status() == ExitStatus.RESULTS_NOT_SAVED
        assert "(Permission denied)" in store.save_state.lines()[0]
    finally:
        results.chmod(0o755)
    assert typed(store.path) == ["1.1", "1.2"]


def test_nowhere_to_keep_a_copy_is_said_plainly(tmp_path: Path, rescue_in_tmp: Path) -> None:
    data = tmp_path / "data"
    store = ProgressStore(data, "ada")
    store.record(make_attempt(question_id="1.1"))
    block(data)
    (rescue_in_tmp / f"autograd-tutor-unsaved-{os.getuid()}").write_text("")  # nor the rescue
    with pytest.raises(ProgressSaveError, match="kept in the app's memory only"):
        store.record(make_attempt(question_id="1.2"))
    assert [a.question_id for a in store.progress.attempts("chain-rule")] == ["1.1", "1.2"]
    words = " ".join(store.save_state.lines())
    assert "No copy could be written anywhere either" in words
    assert json.loads((data.with_name("data.away") / "ada.json").read_text())["student"] == "ada"
