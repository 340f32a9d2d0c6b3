"""The offline guarantee: with every way to open a network connection made to fail (a
``sitecustomize`` installs the block in the child interpreter), ``export``, ``report`` and
``list`` still work."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import child_env, run_cli
from progress_helpers import make_attempt, teacher_lessons_for

from autograd_tutor.progress import ProgressStore

BLOCK = """
import socket

def _no_network(*args, **kwargs):
    raise OSError("network access attempted while the network is blocked by the test")

socket.socket.connect = _no_network
socket.socket.connect_ex = _no_network
socket.create_connection = _no_network
socket.getaddrinfo = _no_network
"""


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    site = tmp_path_factory.mktemp("offline-site")
    (site / "sitecustomize.py").write_text(BLOCK)
    return child_env(PYTHONPATH=str(site))


def test_the_block_is_in_place(offline_env: dict[str, str]) -> None:
    probe = (
        "import socket\n"
        "for call in (lambda: socket.create_connection(('127.0.0.1', 9)),\n"
        "             lambda: socket.getaddrinfo('example.org', 80),\n"
        "             lambda: socket.socket().connect(('127.0.0.1', 9))):\n"
        "    try:\n"
        "        call()\n"
        "    except OSError as exc:\n"
        "        assert 'blocked by the test' in str(exc), exc\n"
        "    else:\n"
        "        raise SystemExit('a connection was possible')\n"
        "print('blocked')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=offline_env
    )
    assert done.stdout.strip() == "blocked", done.stderr


def test_export_and_report_work_offline(offline_env: dict[str, str], tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "data", "ada", tmp_path / "results")
    store.record(make_attempt(verdict="wrong", typed="[0, 0]", diagnoses=("sign",)))
    data = str(tmp_path / "data")

    done = run_cli(["export", "--data-dir", data, "--student", "ada"], env=offline_env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["student"] == "ada"
    done = run_cli(
        ["export", "--data-dir", data, "--student", "ada", "--format", "csv"], env=offline_env
    )
    assert done.returncode == 0 and done.stdout.count("\n") == 2, done.stderr

    csv_out = tmp_path / "q.csv"
    lessons = teacher_lessons_for(tmp_path / "results", tmp_path / "lessons")
    done = run_cli(
        ["report", str(tmp_path / "results"), "--lessons", str(lessons), "--csv", str(csv_out)]
        + ["--jobs", "2"],
        env=offline_env,
    )
    assert done.returncode == 0, done.stderr
    assert "ada" in done.stdout and "network" not in done.stderr
    assert csv_out.read_text().count("\n") == 2


def test_list_works_offline(offline_env: dict[str, str]) -> None:
    done = run_cli(["list"], env=offline_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
