# dopt-test: --unsafe-fixes --expect DOP501:3
ARG CUDA=12.1.0
FROM nvidia/cuda:${CUDA}-devel-ubuntu22.04
CMD ["nvidia-smi"]
