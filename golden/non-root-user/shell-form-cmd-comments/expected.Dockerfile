# dopt-test: --unsafe-fixes
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY bin/tool /usr/local/bin/tool
COPY config.yaml /etc/tool/config.yaml
COPY data /data
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app
USER 10001:10001
# start the tool
CMD tool --config /etc/tool/config.yaml
