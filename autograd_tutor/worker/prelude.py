"""The trusted code a learner's code runs after, built from the lesson model alone.

A learner's run (``WorkerClient.run_learner``) starts in a fresh process, so everything the
lesson's earlier steps made must be made again there, from the lesson's own code: each earlier
step's :attr:`~autograd_tutor.lessons.model.Step.replay_code` (an exercise with its reference
solution, an experiment with its knobs at their defaults). No lesson session is needed:
``report --rerun`` builds the same prelude on the teacher's machine. Plain Python, no torch.
"""

from __future__ import annotations

from autograd_tutor.lessons.model import Lesson

PreludeBlock = tuple[str, int]  # code, and the number its first line has in tracebacks


def prelude_for(lesson: Lesson, position: int) -> list[PreludeBlock]:
    """Every step before ``position``, as it replays (empty blocks left out)."""
    return [(step.replay_code, 1) for step in lesson.steps[:position] if step.replay_code.strip()]


def exercise_prelude(lesson: Lesson, position: int) -> list[PreludeBlock]:
    """What runs before the learner's code of the exercise at ``position``: the earlier steps,
    then the exercise's own setup code."""
    step = lesson.steps[position]
    setup = [(step.code, 1)] if step.code.strip() else []
    return prelude_for(lesson, position) + setup
