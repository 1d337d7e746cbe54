# dopt-test: --unsafe-fixes
FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel AS builder
RUN python3 -m venv --system-site-packages /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir packaging ninja
RUN pip install --no-cache-dir flash-attn --no-build-isolation

FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY train.py /opt/train.py
ENTRYPOINT ["python", "/opt/train.py"]
