# dopt-test: --unsafe-fixes
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY bin/tool /usr/local/bin/tool
COPY config.yaml /etc/tool/config.yaml
COPY data /data
# start the tool
CMD tool --config /etc/tool/config.yaml
