# dopt-test: --unsafe-fixes
FROM nvcr.io/nvidia/pytorch:24.01-py3
WORKDIR /workspace
COPY train.py .
CMD ["horovodrun", "-np", "4", "-H", "localhost:4", "python", "train.py"]
