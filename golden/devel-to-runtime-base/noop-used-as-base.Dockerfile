# dopt-test: --unsafe-fixes
FROM nvidia/cuda:12.1.0-devel-ubuntu22.04 AS cuda
FROM cuda
CMD ["nvidia-smi"]
