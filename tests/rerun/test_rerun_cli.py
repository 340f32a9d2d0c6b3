"""``report --rerun`` end to end: honest code passes here, a forged pass (code that does not
pass, or code that patched the checks on the learner's machine) is shown as such and not
counted, failing code fails; without isolation the command refuses unless told."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest
from cli_runner import run_cli

from autograd_tutor.cli import main
from autograd_tutor.errors import ExitStatus
from autograd_tutor.rerun import isolation
from autograd_tutor.rerun.isolation import IsolationReport

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
rerun_bench = importlib.import_module("rerun_bench")

# the verdict rules say "passed" for every built-in check in the process this code runs in
# (the verdicts are decided in the lesson worker: this changes nothing there)
PATCHED = """\
import autograd_tutor.worker.builtin_checks as _rules
from autograd_tutor.worker.protocol import CheckResult as _Check
_rules.decide = lambda specs, facts, error: [
    _Check(str(spec.get("id", "")), True, "") for spec in specs if spec.get("builtin")
]
"""


@pytest.mark.skipif(not isolation.probe().available, reason="no isolation on this machine")
def test_rerun_shows_where_each_pass_comes_from(tmp_path: Path) -> None:
    folder = tmp_path / "lab"
    folder.mkdir()
    rerun_bench.generate(folder, 3)  # learner000 honest, learner001 forged, learner002 failing
    doc = json.loads((folder / "learner000.json").read_text())
    practice = doc["lessons"]["training-loop"]["practice"]
    (attempt,) = next(iter(practice.values()))["attempts"]
    attempt["code"] = PATCHED + "pass\n"  # patches the checks, then does nothing
    doc["student"] = "patcher"
    (folder / "patcher.json").write_text(json.dumps(doc))
    done = run_cli(
        ["report", str(folder), "--rerun", "--jobs", "1", "--color", "never"], timeout=600
    )
    assert done.returncode == 0, done.stderr
    lines = {line.split(":")[0].strip(): line for line in done.stdout.splitlines()}
    assert "training-loop step 4: passed (re-run)" in lines["learner000"]
    assert "passed on the learner's machine only" in lines["learner001"]
    assert "failed on re-run" in lines["learner002"]
    assert "training-loop step 4: passed on the learner's machine only" in lines["patcher"]
    assert "Only the passes re-run here count above." in done.stdout


def test_rerun_refuses_without_isolation_unless_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import autograd_tutor.rerun.command as command

    monkeypatch.setattr(command, "probe", lambda: IsolationReport(False, "no namespaces"))
    (tmp_path / "lab").mkdir()
    assert main(["report", str(tmp_path / "lab"), "--rerun"]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert "cannot isolate re-runs on this machine (no namespaces)" in err
    assert "--rerun-without-isolation" in err
