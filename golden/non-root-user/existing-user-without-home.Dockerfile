# dopt-test: --unsafe-fixes --expect DOP503:2
FROM debian:bookworm-slim
RUN useradd --system --no-create-home worker
COPY worker /usr/local/bin/worker
CMD ["worker"]
