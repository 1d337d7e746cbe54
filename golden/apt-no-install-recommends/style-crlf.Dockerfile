# dopt-test: --unsafe-fixes
FROM debian:bookworm-slim
# the file's other RUNs chain their lines the other way
RUN mkdir -p /srv/a \
    && mkdir -p /srv/b \
    && mkdir -p /srv/c \
    && mkdir -p /srv/d
RUN apt-get update && \
  apt-get install -y jq && \
  rm -rf /var/lib/apt/lists/*
