# dopt-test: --unsafe-fixes --select DOP501,DOP502
# DeepSpeed builds its ops on first use (ninja + nvcc): neither rule takes the toolchain away.
FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel
RUN pip install --no-cache-dir packaging ninja
RUN pip install --no-cache-dir deepspeed==0.12.6 transformers
COPY train.py /opt/train.py
ENTRYPOINT ["deepspeed", "/opt/train.py"]
