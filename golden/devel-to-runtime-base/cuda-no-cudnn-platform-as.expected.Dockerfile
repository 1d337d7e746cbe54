# dopt-test: --unsafe-fixes
from --platform=linux/amd64 docker.io/nvidia/cuda:11.8.0-runtime-ubuntu20.04 AS app
ENV NVIDIA_VISIBLE_DEVICES=all
CMD ["nvidia-smi"]
