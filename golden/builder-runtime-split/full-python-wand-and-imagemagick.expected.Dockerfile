# dopt-test: --unsafe-fixes
# The stage installs ImageMagick for wand and gcc for a C extension; ImageMagick stays in the runtime stage.
FROM python:3.10 AS builder
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc imagemagick \
 && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir wand cffi

FROM python:3.10-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      imagemagick \
 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY thumbs.py /usr/local/bin/thumbs.py
ENTRYPOINT ["python", "/usr/local/bin/thumbs.py"]
