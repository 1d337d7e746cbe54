# dopt-test: --unsafe-fixes --expect DOP501:2
FROM nvidia/cuda:12.1.0-cudnn8-devel-ubuntu22.04
ENV TORCH_CUDA_ARCH_LIST="8.0;8.6"
COPY . /src
RUN cd /src && python3 setup.py build_ext --inplace
