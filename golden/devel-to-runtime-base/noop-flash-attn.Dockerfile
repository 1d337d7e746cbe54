# dopt-test: --unsafe-fixes
FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel AS base
RUN pip install --no-cache-dir flash-attn --no-build-isolation
FROM base
CMD ["python"]
