# dopt-test: --unsafe-fixes --expect DOP501:2
FROM nvidia/cuda:12.1.0-devel-ubuntu22.04
RUN nvcc -O2 -o /usr/local/bin/kernel kernel.cu
