# dopt-test: --unsafe-fixes
# One RUN installs the compiler next to curl and downloads a tool with it: the runtime stage replays the
# RUN without gcc and with libpq5 for libpq-dev.
FROM python:3.11-slim AS builder
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      gcc \
      libpq-dev \
      curl \
      ca-certificates \
 && curl -fsSL -o /usr/local/bin/wait-for https://example.com/wait-for \
 && chmod +x /usr/local/bin/wait-for \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpq5 \
      curl \
      ca-certificates \
 && curl -fsSL -o /usr/local/bin/wait-for https://example.com/wait-for \
 && chmod +x /usr/local/bin/wait-for \
 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY . .
CMD ["/usr/local/bin/wait-for", "db:5432", "--", "python", "app.py"]
