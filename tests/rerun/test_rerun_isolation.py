"""A re-run on the teacher's machine is isolated: learner code that writes into the teacher's
home, reads another learner's results file, opens a socket, reads the teacher's environment or
another process's fails, and the failure comes back as data (the hostile re-run corpus)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import child_env

from autograd_tutor.rerun.isolation import probe

pytestmark = pytest.mark.skipif(
    not probe().available, reason="no user/mount/network namespaces on this machine"
)

# (case, learner code that raises when the attack works... or fails, expected outcome)
HOSTILE_RERUN: list[tuple[str, str]] = [
    ("write into the teacher's home", "open(HOME + '/planted.txt', 'w').write('x')"),
    ("read another learner's file", "open(RESULTS + '/bob.json').read()"),
    ("list the results folder", "assert os.listdir(RESULTS), 'empty'"),
    ("open a socket", "socket.create_connection(('127.0.0.1', 22), timeout=2)"),
    ("reach the internet", "socket.create_connection(('1.1.1.1', 443), timeout=2)"),
    ("an abstract unix socket", "s = socket.socket(socket.AF_UNIX); s.connect('\\0x11')"),
    ("read the teacher's token", "assert os.environ['TEACHER_TOKEN'], 'empty'"),
    ("read another process's environment", "open('/proc/1/environ', 'rb').read()"),
    ("write next to the app", "open(APP + '/planted.py', 'w').write('x')"),
    # signal 0 only asks whether the signal could be sent (harmless if the attack worked)
    ("signal a process of the teacher's", "os.kill(OUTSIDE, 0)"),
    ("signal every process it may", "os.kill(-1, 0)"),
]

HARNESS = """
import json, os, socket, sys
HOME, RESULTS, APP, OUTSIDE = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[5])
from autograd_tutor.rerun.isolation import enter_sandbox
enter_sandbox(hidden=[RESULTS])
out = {}
for name, code in json.loads(sys.argv[4]):
    try:
        names = {"os": os, "socket": socket, "HOME": HOME, "RESULTS": RESULTS, "APP": APP}
        exec(code, {**names, "OUTSIDE": OUTSIDE})
    except BaseException as exc:
        out[name] = f"failed: {type(exc).__name__}: {exc}"
    else:
        out[name] = "succeeded"
open("scratch.txt", "w").write("scratch is writable")
out["scratch"] = open("scratch.txt").read()
out["cwd"] = os.getcwd()
out["HOME"] = os.environ.get("HOME")
out["pid"] = os.getpid()
print(json.dumps(out))
"""


def test_hostile_learner_code_fails_in_a_rerun(tmp_path: Path) -> None:
    home = tmp_path / "teacher"
    home.mkdir()
    results = tmp_path / "results"
    results.mkdir()
    (results / "bob.json").write_text('{"secret": "bob"}')
    app = Path(__file__).resolve().parents[2] / "autograd_tutor"
    env = child_env(HOME=str(home), TEACHER_TOKEN="s3cret")
    # a process of the teacher's, outside the sandbox, that learner code must not reach
    outside = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        done = run_harness(home, results, app, env, outside.pid)
        assert outside.poll() is None  # still running
    finally:
        outside.kill()
        outside.wait()
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    for name, _code in HOSTILE_RERUN:
        assert out[name].startswith("failed"), (name, out[name])
    assert "Read-only file system" in out["write next to the app"]
    assert "Network is unreachable" in out["reach the internet"]
    assert "ProcessLookupError" in out["signal a process of the teacher's"]
    assert out["pid"] == 1  # process 1 of a PID namespace of its own
    assert (out["scratch"], out["HOME"]) == ("scratch is writable", None)
    assert out["cwd"] in ("/tmp", "/var/tmp")
    assert not (home / "planted.txt").exists() and not (app / "planted.py").exists()


def run_harness(
    home: Path, results: Path, app: Path, env: dict[str, str], outside: int
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            HARNESS,
            str(home),
            str(results),
            str(app),
            json.dumps(HOSTILE_RERUN),
            str(outside),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
