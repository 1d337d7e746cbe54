# dopt-test: --unsafe-fixes --expect DOP503:2
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends supervisor && rm -rf /var/lib/apt/lists/*
COPY supervisord.conf /etc/supervisor/conf.d/app.conf
CMD ["/usr/bin/supervisord", "-n"]
