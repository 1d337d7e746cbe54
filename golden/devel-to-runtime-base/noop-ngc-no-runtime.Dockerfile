# dopt-test: --unsafe-fixes --expect DOP501:2
FROM nvcr.io/nvidia/pytorch:24.01-py3
RUN pip install --no-cache-dir transformers
