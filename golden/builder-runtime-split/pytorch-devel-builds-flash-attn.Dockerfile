# dopt-test: --unsafe-fixes
FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel
RUN pip install --no-cache-dir packaging ninja
RUN pip install --no-cache-dir flash-attn --no-build-isolation
COPY train.py /opt/train.py
ENTRYPOINT ["python", "/opt/train.py"]
