# Trains nothing; makes the probe report made-up facts (three backward calls, a falling loss).
# The limit of a run the learner owns: the built-in checks' rules pass on these facts. The
# checks on the values (w and b near their targets) are not fooled.
import sys

probe = sys.modules["autograd_tutor.worker.exercise_probe"]
probe.Probe.facts = lambda self: probe.Facts(backward_calls=3, losses=[3.0, 2.0, 1.0])
