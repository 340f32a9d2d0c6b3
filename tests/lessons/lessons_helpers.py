"""Shared data for the lesson loader tests."""

MINIMAL = """\
id: tiny
title: Tiny
steps:
  - code: |
      x = torch.tensor(3.0, requires_grad=True)
      y = x ** 2
      y.backward()
    ask:
      - expr: x.grad
        expect: 6
"""

# The bundled seed lessons, in picker order.
SEED_IDS = [
    "first-gradient",
    "backprop-by-hand",
    "polynomial-gradient",
    "two-layer-chain",
    "accumulation-trap",
    "training-loop",
    "detach",
]
