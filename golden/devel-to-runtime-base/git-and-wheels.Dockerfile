# dopt-test: --unsafe-fixes
# The stage installs git (for a model repository) and only pip-installs wheels: git compiles nothing.
FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends git python3-pip \
    && rm -rf /var/lib/apt/lists/*
RUN pip3 install --no-cache-dir torch==2.3.1 transformers==4.44.2 accelerate
RUN git clone --depth 1 https://huggingface.co/prajjwal1/bert-tiny /models/bert-tiny
COPY serve.py /app/serve.py
CMD ["python3", "/app/serve.py"]
