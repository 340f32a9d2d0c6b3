"""The keys each mapping of a lesson file knows and requires; tests check that schema.json
says the same.
"""

from __future__ import annotations

from autograd_tutor.lessons.practice_loader import PRACTICE_KNOWN_KEYS, PRACTICE_REQUIRED_KEYS

# The known (and required) keys of each mapping; tests check that schema.json says the same.
LESSON_KEYS = (
    "id",
    "title",
    "summary",
    "credit",
    "seed",
    "time_limit",
    "memory_limit",
    "order",
    "minutes",
    "params",
    "require",
    "steps",
)
STEP_KEYS = (
    "title",
    "explain",
    "code",
    "ask",
    "train",
    "exercise",
    "experiment",
    "graph",
    "params",
)
PARAM_KEYS = ("choice", "range", "default")
QUESTION_KEYS = (
    "id",
    "expr",
    "prompt",
    "hints",
    "explain",
    "tolerance",
    "expect",
    "raises",
    "match",
    "wrong",
    "graph",
)
STEP_GRAPH_VALUES = ("open", "closed")
WRONG_KEYS = ("answer", "says")
TRAIN_KEYS = ("loss", "log_scale", "x", "y", "lines")
LINE_KEYS = ("label", "slope", "intercept")
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "lesson": LESSON_KEYS,
    "step": STEP_KEYS,
    "question": QUESTION_KEYS,
    "wrong": WRONG_KEYS,
    "train": TRAIN_KEYS,
    "line": LINE_KEYS,
    "param": PARAM_KEYS,
    **PRACTICE_KNOWN_KEYS,
}
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "lesson": ("id", "title", "steps"),
    "step": (),
    "question": ("expr",),
    "wrong": ("answer", "says"),
    "train": (),
    "line": LINE_KEYS,
    "param": (),
    **PRACTICE_REQUIRED_KEYS,
}
