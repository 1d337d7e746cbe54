# dopt-test: --unsafe-fixes
# The tag names the Debian release: the runtime goes on the -slim image of the same release.
FROM python:3.12-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends gcc libxml2-dev libxslt1-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir lxml==5.2.2

FROM python:3.12-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libxml2 \
      libxslt1.1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY feed.py .
ENTRYPOINT ["python", "feed.py"]
