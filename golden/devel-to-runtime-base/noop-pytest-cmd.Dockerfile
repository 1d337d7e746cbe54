# dopt-test: --unsafe-fixes
# No stage name, but the image runs the test suite.
FROM nvidia/cuda:12.1.1-devel-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip \
    && rm -rf /var/lib/apt/lists/*
RUN pip3 install --no-cache-dir torch==2.3.1 tox==4.18.0
COPY . /src
WORKDIR /src
CMD tox -e gpu
