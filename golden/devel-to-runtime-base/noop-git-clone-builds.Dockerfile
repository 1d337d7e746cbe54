# dopt-test: --unsafe-fixes
# git is no reason to keep -devel, but what it fetched is installed from source: that is.
FROM nvidia/cuda:12.1.1-devel-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends git python3-pip \
    && rm -rf /var/lib/apt/lists/*
RUN git clone https://github.com/example/kernels /src && pip3 install --no-cache-dir /src
CMD ["python3", "-m", "kernels.serve"]
