# dopt-test: --unsafe-fixes
FROM nvidia/cuda:12.1.1-devel-ubuntu22.04

ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
        python3 python3-pip python3-dev ninja-build \
    && rm -rf /var/lib/apt/lists/*

RUN pip3 install --no-cache-dir torch==2.1.2 numpy

WORKDIR /workspace
COPY . /workspace
ENV TORCH_CUDA_ARCH_LIST="7.5;8.0;8.6"
RUN python3 setup.py install

CMD ["python3", "infer.py"]
