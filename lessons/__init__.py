"""The seed lessons (YAML), shipped inside the wheel as ``autograd_tutor.bundled_lessons``."""
