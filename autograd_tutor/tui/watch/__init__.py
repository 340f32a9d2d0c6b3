"""``autograd-tutor watch DIR``: the teacher's live, read-only view of a lab's results folder
(the core is :mod:`autograd_tutor.lab`)."""
