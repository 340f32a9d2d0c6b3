"""autograd-tutor: predict what PyTorch's autograd will compute, then watch it run."""

__version__ = "0.1.0"
