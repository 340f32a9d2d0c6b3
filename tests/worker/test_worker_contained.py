"""Learner code in a throwaway process (``WorkerClient.run_learner``): the hostile corpus.

Each file of ``hostile_code/`` is a learner's exercise code with one trick; ``CASES`` says what
must come of it. For every case: the run ends as expected, no check passes that the code did
not earn, nothing of the run's process group is left, and afterwards the right answer still
scores right (a fresh run) and a plain lesson step in the lesson worker still gets torch's
values (grad mode on, float32).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from process_helpers import describe, gone, session_members

from autograd_tutor.lessons.model import Training
from autograd_tutor.worker import StepResult, WorkerClient

HOSTILE = Path(__file__).parent / "hostile_code"
PRELUDE = [
    ("x = torch.tensor([1.0, 2.0, 3.0])\ny = 2 * x + 1\n", 1),
    ("w = torch.zeros(1, requires_grad=True)\nb = torch.zeros(1, requires_grad=True)\n", 1),
    ("lr = 0.1\n", 1),
]
RIGHT = """\
for _ in range(300):
    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
"""
BUILTINS = ("backward_called", "grads_zeroed", "update_not_recorded", "loss_decreased")
PROBE = {
    "checks": [
        *({"id": name, "builtin": name, "says": name} for name in BUILTINS),
        {"id": "check 1", "expr": "abs(w.item() - 2) < 0.1", "says": "w should be near 2"},
        {"id": "check 2", "expr": "abs(b.item() - 1) < 0.1", "says": "b should be near 1"},
    ],
    "record_backward": True,
    "rule_names": False,
}
ALL = {*BUILTINS, "check 1", "check 2"}
MEMORY_LIMIT = 2**30
TIME_LIMIT = 2.0

# file -> (error type or None, the checks that pass)
CASES: dict[str, tuple[str | None, set[str]]] = {
    "grad_mode_off.py": (None, ALL),  # earned: the loop is right
    "dtype_changed.py": (None, ALL),
    # a made-up falling loss is seen falling; the checks on w and b are not fooled
    "builtins_patched.py": (None, {*BUILTINS}),
    "torch_patched.py": (None, {*BUILTINS}),  # fresh leaves each time: nothing accumulates
    "tutor_patched.py": (None, {"update_not_recorded"}),
    "forged_lines.py": ("ConnectionBroken", set()),
    "fds_closed.py": ("ConnectionBroken", set()),
    "fork_and_sleep.py": (None, {"update_not_recorded"}),
    "thread_left_running.py": (None, {"update_not_recorded"}),
    "huge_allocation.py": ("MemoryLimit", set()),
    "endless_output.py": ("OSError", set()),  # the capture file's size limit
    "os_exit.py": ("ConnectionBroken", set()),
    "sigterm_ignored.py": ("Timeout", set()),
    "sys_exit.py": ("SystemExit", set()),
    "keyboard_interrupt.py": ("KeyboardInterrupt", set()),
    # verdicts claimed in the run's process are not read: only what the code did counts
    "probe_module_patched.py": (None, {"update_not_recorded"}),
    "probe_methods_patched.py": (None, {"update_not_recorded"}),
    "forged_checks_report.py": ("ConnectionBroken", set()),
    # the documented limit: facts observed in the learner's process can be forged there
    "facts_forged.py": (None, {*BUILTINS}),
}


def run(worker: WorkerClient, code: str) -> StepResult:
    return worker.run_learner(
        PRELUDE,
        code,
        seed=0,
        probe=PROBE,
        training=Training(),
        time_limit=TIME_LIMIT,
        memory_limit=MEMORY_LIMIT,
    )


def passed(result: StepResult) -> set[str]:
    return {c.id for c in result.checks if c.passed}


def test_the_corpus_has_a_file_for_every_case() -> None:
    assert sorted(p.name for p in HOSTILE.glob("*.py")) == sorted(CASES)


def test_the_right_answer_passes_every_check(worker: WorkerClient) -> None:
    result = run(worker, RIGHT)
    assert result.error is None, result.error
    assert passed(result) == ALL
    assert result.training is not None and len(result.training.loss) == 300
    assert result.training.loss[-1] < result.training.loss[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_learner_code(worker: WorkerClient, name: str) -> None:
    error, earned = CASES[name]
    result = run(worker, (HOSTILE / name).read_text())
    assert (result.error.type if result.error else None) == error, result.error
    assert passed(result) == earned, result.checks
    if error == "ConnectionBroken":
        assert result.error is not None
        assert result.error.message.startswith("your code broke the connection to the tutor")
    if error == "MemoryLimit":
        assert result.error is not None and "more than 1 GB" in result.error.message
    if name == "endless_output.py":
        assert "[... output cut:" in result.stdout
    # nothing of the run is left: its process, what it forked, its threads
    pid = worker.last_learner_pid
    assert pid is not None
    left = session_members(pid)
    forked = [int(result.stdout.split("PID=")[1].split()[0])] if "PID=" in result.stdout else []
    for member in [pid, *left, *forked]:  # SIGKILLed already: they end without help
        assert gone(member), describe(member)
    # the right answer still scores right, in a fresh process
    again = run(worker, RIGHT)
    assert again.error is None and passed(again) == ALL
    # and the lesson worker still runs plain steps as torch does
    worker.reset(0)
    step = worker.run(
        "a = torch.tensor(3.0, requires_grad=True)\nq = a ** 2\nq.backward()",
        ["a.grad", "str(torch.get_default_dtype())", "abs(-2)", "torch.is_grad_enabled()"],
    )
    assert step.error is None, step.error
    values = [v.value for v in step.values]
    assert values[0] is not None and values[0].data == 6.0
    assert [v.data for v in values[1:] if v is not None] == ["torch.float32", 2, True]


def test_printed_output_comes_back_and_the_environment_is_clean(worker: WorkerClient) -> None:
    os.environ["AUTOGRAD_TUTOR_SECRET_TEST"] = "1"
    try:
        result = run(worker, "import os\nprint(sorted(os.environ))\nprint(os.getpid())")
    finally:
        del os.environ["AUTOGRAD_TUTOR_SECRET_TEST"]
    assert result.error is None
    assert "AUTOGRAD_TUTOR_SECRET_TEST" not in result.stdout
    assert result.stdout.split()[-1] == str(worker.last_learner_pid)


def test_what_torch_imports_lazily_is_loaded_before_the_learners_code(
    worker: WorkerClient,
) -> None:
    """The fork server imported it once (contained.PRELOAD): a run that makes an optimizer or
    calls backward() with a gradient does not import it again, about a second each."""
    lazy = ["torch._dynamo", "torch.fx.experimental.symbolic_shapes"]
    result = run(worker, f"import sys\nprint([m in sys.modules for m in {lazy!r}])")
    assert result.error is None
    assert result.stdout.split("\n")[0] == "[True, True]", result.stdout


def test_a_failing_prelude_is_the_lessons_fault(worker: WorkerClient) -> None:
    result = worker.run_learner([("1 / 0", 4)], RIGHT, probe=PROBE, time_limit=TIME_LIMIT)
    assert result.error is not None and result.error.type == "LessonCodeFailed"
    assert "ZeroDivisionError" in result.error.message


def test_losses_stream_while_the_code_runs(worker: WorkerClient) -> None:
    seen: list[list[float]] = []
    result = worker.run_learner(
        PRELUDE,
        RIGHT,
        probe=PROBE,
        training=Training(),
        time_limit=TIME_LIMIT,
        on_loss=seen.append,
    )
    assert result.error is None
    assert seen and seen[-1] == result.training.loss  # type: ignore[union-attr]


def test_expr_checks_read_values_sent_back_not_the_run(worker: WorkerClient) -> None:
    """A tensor's data, grad, requires_grad and grad_fn cross as plain data."""
    probe = {
        "checks": [
            {"id": "c1", "expr": "c.item() == 36 and not c.requires_grad", "says": ""},
            {"id": "c2", "expr": "a.grad.tolist() == [3.0] and d.grad_fn is not None", "says": ""},
            {"id": "c3", "expr": "names == ['a', 'b'] and shape == torch.Size([2, 3])", "says": ""},
            {"id": "c4", "expr": "model.weight.shape == (1, 2)", "says": ""},
        ]
    }
    code = (
        "a = torch.tensor([2.0], requires_grad=True)\n"
        "d = a * 3\n"
        "d.sum().backward()\n"
        "c = (d.detach() ** 2).sum()\n"
        "names = ['a', 'b']\n"
        "shape = torch.zeros(2, 3).shape\n"
        "model = torch.nn.Linear(2, 1)\n"
    )
    result = worker.run_learner([], code, probe=probe, time_limit=TIME_LIMIT)
    assert result.error is None
    assert [(c.id, c.passed) for c in result.checks] == [
        ("c1", True),
        ("c2", True),
        ("c3", True),
        ("c4", True),
    ], result.checks
