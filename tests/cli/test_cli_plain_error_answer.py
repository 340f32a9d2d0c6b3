"""An error answer in ``--plain``: the reveal shows torch's own message beside the exception
(clipped), and ``graph`` never runs a question's call again: it draws the object the call acts
on (a call such as ``y.backward(retain_graph=True)`` would add to ``x.grad`` each time it
ran)."""

from __future__ import annotations

from pathlib import Path

from cli_runner import run_cli

from autograd_tutor.presentation import MESSAGE_SHOWN

LESSON = """\
id: twice
title: Backward twice
steps:
  - code: |
      x = torch.tensor(2.0, requires_grad=True)
      y = x * x
    ask:
      - expr: y.backward(retain_graph=True)
        prompt: "What does the first backward return?"
        expect: None
  - code: |
      y.backward()
    ask:
      - expr: y.backward()
        prompt: "And a third backward, after one without retain_graph?"
        raises: RuntimeError
        match: a second time
  - code: |
      z = x * 3
    ask:
      - expr: x.grad
        prompt: "What is x.grad after the two backward calls that ran?"
        expect: 8
"""


def test_the_reveal_shows_torchs_message_and_graph_never_runs_a_call_again(
    write_lesson, data_dir: Path
) -> None:
    folder = write_lesson(LESSON).parent
    typed = "graph\nNone\ngraph\nraises RuntimeError\ngraph\n8\n"
    done = run_cli(
        ["--plain", "--device", "cpu", "--data-dir", str(data_dir), "--lessons", str(folder)]
        + ["twice"],
        typed,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # the graph draws the object a call acts on (y), never the call: at each prompt
    first = out[out.index("Graph of step 1, before its run") : out.index("None\n")]
    assert "y · MulBackward0" in first
    assert "Graph of step 1, after its run:" in out and "Graph of step 2, after its run:" in out
    words = " ".join(out.split())  # wrapped lines read as one text
    # torch's message, not only the exception's class, and clipped
    assert "torch: raises RuntimeError: Trying to backward through the graph a second time" in (
        words
    )
    message = words.split("raises RuntimeError: ", 1)[1]
    assert "…" in message[: MESSAGE_SHOWN + 40]  # torch's long message is clipped
    # two backward calls ran (the question's and step 2's): 8, not more, whatever graph drew
    reveal = words[words.rindex("x.grad") :]
    assert "right" in reveal and "12" not in reveal
