# dopt-test: --unsafe-fixes
# The cupy-cuda12x wheel runs on -runtime (CuPy bundles the headers its NVRTC kernels need).
FROM nvidia/cuda:12.1.1-runtime-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip \
    && rm -rf /var/lib/apt/lists/*
RUN pip3 install --no-cache-dir cupy-cuda12x==13.3.0
CMD ["python3", "app.py"]
