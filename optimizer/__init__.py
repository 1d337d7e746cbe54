"""dopt: a lossless Dockerfile optimizer."""

__version__ = "0.1.0"
