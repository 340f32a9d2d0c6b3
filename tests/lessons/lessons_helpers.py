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

# The curriculum that follows the seed lessons (issue 13), in picker order.
CURRICULUM_IDS = [
    "requires-grad-flow",
    "leaf-tensors",
    "sum-vs-mean",
    "vector-jacobian",
    "nonlinearities",
    "broadcast-bias",
    "matmul-gradient",
    "retain-graph",
    "optimizer-sgd",
    "small-mlp",
    "softmax-cross-entropy",
]

# Every bundled lesson, in picker order.
BUNDLED_IDS = SEED_IDS + CURRICULUM_IDS
