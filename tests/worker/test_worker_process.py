"""The worker as a process: a clean protocol stream, no torch in the caller, devices, exit."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import pytest

from autograd_tutor.worker import WorkerClient, WorkerUnavailable

WORKER = [sys.executable, "-m", "autograd_tutor.worker.process"]


def test_the_caller_never_imports_torch_and_the_worker_ends_with_it() -> None:
    script = textwrap.dedent(
        """
        import sys
        import autograd_tutor.session
        from autograd_tutor.lessons.model import Training
        from autograd_tutor.worker import WorkerClient
        worker = WorkerClient(device="cpu")  # never closed: atexit must stop the process
        worker.start()
        print(worker.wait_ready().pid)
        worker.reset(0)
        result = worker.run(
            "x = torch.tensor(3.0, requires_grad=True)\\n(x ** 2).backward()\\n"
            "record_loss(1.0)",
            ["x.grad", "x.shape", "x.grad_fn"],
            training=Training(),
            on_loss=lambda series: None,
        )
        assert result.ok, result.error
        assert result.values[0].value.data == 6.0
        print("torch" in sys.modules, any(m.startswith("torch.") for m in sys.modules))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    pid, imported = out.stdout.strip().splitlines()
    assert imported == "False False"
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid), 0)


def test_startup_writes_only_the_ready_line_and_nothing_to_stderr() -> None:
    proc = subprocess.Popen(
        [*WORKER, "--device", "cpu"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdin is not None
    first = json.loads(proc.stdout.readline())
    assert first["event"] == "ready"
    assert first["info"]["device"] == "cpu" and first["info"]["pid"] == proc.pid
    proc.stdin.write(b'{"op": "run", "id": 1, "code": "print(1)", "exprs": []}\n')
    proc.stdin.flush()
    reply = json.loads(proc.stdout.readline())
    assert (reply["event"], reply["id"], reply["result"]["stdout"]) == ("result", 1, "1\n")
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0
    assert proc.stdout.read() == b""
    assert proc.stderr is not None and proc.stderr.read() == b""  # no NumPy (or other) warning


def test_the_worker_exits_when_its_stdin_closes_even_mid_step() -> None:
    ready_r, ready_w = os.pipe()  # the step writes a byte here once it runs
    proc = subprocess.Popen(
        [*WORKER, "--device", "cpu"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        pass_fds=(ready_w,),
    )
    os.close(ready_w)
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert json.loads(proc.stdout.readline())["event"] == "ready"
        code = f"import os\nos.write({ready_w}, b'x')\nwhile True: pass"
        request = {"op": "run", "id": 1, "code": code, "exprs": []}
        proc.stdin.write(json.dumps(request).encode() + b"\n")
        proc.stdin.flush()
        readable, _, _ = select.select([ready_r], [], [], 60)
        assert readable and os.read(ready_r, 1) == b"x"  # the endless step is running
        started = time.monotonic()
        proc.stdin.close()
        proc.wait(timeout=10)
    finally:
        os.close(ready_r)
        proc.kill()
    assert time.monotonic() - started < 5


@pytest.fixture(scope="module")
def auto_worker() -> Iterator[WorkerClient]:
    client = WorkerClient(device="auto")
    client.start()
    yield client
    client.close()


def test_worker_info_describes_the_device(auto_worker: WorkerClient) -> None:
    assert auto_worker.info is None or auto_worker.info.pid > 0
    info = auto_worker.wait_ready()
    assert auto_worker.info == info
    assert info.torch_version.startswith("2.")
    assert info.pid != os.getpid()
    if info.device == "cpu":
        assert info.device_name == "CPU"
    else:
        assert info.device == "cuda:0" and info.device_name
    auto_worker.reset(0)
    value = auto_worker.run("t = torch.ones(2)", ["t"]).values[0].value
    assert value is not None and value.device == info.device and value.data == [1.0, 1.0]


def test_device_cuda_without_cuda_is_a_clear_error(auto_worker: WorkerClient) -> None:
    has_cuda = auto_worker.wait_ready().device.startswith("cuda")
    client = WorkerClient(device="cuda")
    try:
        client.start()
        if has_cuda:
            assert client.wait_ready().device == "cuda:0"
            return
        with pytest.raises(WorkerUnavailable) as caught:
            client.wait_ready()
        message = str(caught.value)
        assert message.startswith("--device cuda was asked for, but this torch sees no CUDA")
        assert "torch 2." in message
        result = client.run("a = 1", [])  # run does not raise either
        assert result.error is not None and result.error.type == "DeviceUnavailable"
    finally:
        client.close()


def test_an_unknown_device_is_refused() -> None:
    with pytest.raises(ValueError, match="device"):
        WorkerClient(device="tpu")


def test_no_numpy_warning_even_when_numpy_is_missing() -> None:
    # torch warns on import when NumPy cannot be imported; the worker filters that warning
    script = textwrap.dedent(
        """
        import runpy, sys
        sys.modules["numpy"] = None  # makes `import numpy` fail inside torch
        sys.argv = ["worker", "--device", "cpu"]
        runpy.run_module("autograd_tutor.worker.process", run_name="__main__")
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdin is not None
    assert json.loads(proc.stdout.readline())["event"] == "ready"
    proc.stdin.write(b'{"op": "run", "id": 1, "code": "t = torch.ones(2) * 2", "exprs": ["t"]}\n')
    proc.stdin.flush()
    reply = json.loads(proc.stdout.readline())
    assert reply["result"]["values"][0]["value"]["data"] == [2.0, 2.0]
    proc.stdin.close()
    proc.wait(timeout=10)
    assert proc.stderr is not None and proc.stderr.read() == b""
