# dopt-test: --unsafe-fixes
# pycuda's SourceModule runs nvcc at run time.
FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*
RUN pip3 install --no-cache-dir pycuda numpy
CMD ["python3", "kernels.py"]
