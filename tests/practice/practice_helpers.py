"""Exercise test data: a small training-loop exercise, its solution, typical broken loops."""

from __future__ import annotations

import textwrap

# A lesson in the shape of the training-loop exercise, small and fast.
LOOP_LESSON = textwrap.dedent(
    """\
    id: loop
    title: Loop
    time_limit: 2
    steps:
      - code: |
          x = torch.tensor([0.0, 1.0, 2.0, 3.0])
          y = 2 * x + 1
      - code: |
          w = torch.tensor(0.0, requires_grad=True)
          b = torch.tensor(0.0, requires_grad=True)
          lr = 0.05
        train: {}
        exercise:
          starter: |
            for step in range(300):
                pred = ...  # TODO
                loss = ...  # TODO
                # TODO backward
                with torch.no_grad():
                    pass  # TODO update
                # TODO zero
          solution: |
            for step in range(300):
                pred = w * x + b
                loss = ((pred - y) ** 2).mean()
                loss.backward()
                with torch.no_grad():
                    w -= lr * w.grad
                    b -= lr * b.grad
                w.grad.zero_()
                b.grad.zero_()
          checks:
            - builtin: backward_called
            - builtin: update_not_recorded
            - builtin: grads_zeroed
            - builtin: loss_decreased
            - expr: abs(w.item() - 2) < 0.1
              says: "w did not reach 2: is the update inside torch.no_grad() and is the sign right?"
    """
)

SOLUTION = textwrap.dedent(
    """\
    for step in range(300):
        pred = w * x + b
        loss = ((pred - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    """
)

# Typical broken loops: name -> code.
NO_ZEROING = SOLUTION.replace("    w.grad.zero_()\n    b.grad.zero_()\n", "")
WRONG_SIGN = SOLUTION.replace("w -= lr", "w += lr").replace("b -= lr", "b += lr")
REBOUND_OUTSIDE_NO_GRAD = textwrap.dedent(
    """\
    for step in range(300):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        w = w - lr * w.grad
        b = b - lr * b.grad
        w.grad.zero_()
    """
)
IN_PLACE_OUTSIDE_NO_GRAD = textwrap.dedent(
    """\
    for step in range(300):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        w -= lr * w.grad
    """
)
NO_BACKWARD = SOLUTION.replace("    loss.backward()\n", "")
NAME_ERROR = SOLUTION.replace("pred = w * x + b", "pred = W * x + b")
