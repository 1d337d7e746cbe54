# dopt-test: --unsafe-fixes
# `cupy` on PyPI is the source distribution: pip builds it with nvcc (the wheels are cupy-cuda12x).
FROM nvidia/cuda:12.1.1-devel-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip \
    && rm -rf /var/lib/apt/lists/*
RUN pip3 install --no-cache-dir cupy
CMD ["python3", "app.py"]
