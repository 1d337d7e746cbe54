# dopt-test: --unsafe-fixes
FROM nvidia/cuda:12.1.0-runtime-ubuntu22.04
CMD ["nvidia-smi"]
