"""Layer 1: the Dockerfile's syntax (lossless parser, model, shell words). Imports nothing above it."""
