"""Re-running learners' saved exercise code on the teacher's machine (``report --rerun``):
:mod:`.isolation` closes the run's process off from the network, the file system and the
teacher's environment before any learner code runs."""
