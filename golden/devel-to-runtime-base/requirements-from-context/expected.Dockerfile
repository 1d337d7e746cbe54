# dopt-test: --unsafe-fixes
FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*
COPY requirements.txt base.txt constraints.txt /tmp/
RUN pip3 install --no-cache-dir -r /tmp/requirements.txt
COPY serve.py /srv/serve.py
CMD ["python3", "/srv/serve.py"]
