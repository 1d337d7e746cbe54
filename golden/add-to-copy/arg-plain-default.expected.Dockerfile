# dopt-test: --unsafe-fixes
FROM debian:bookworm-slim
ARG CONF=settings.yaml
COPY ${CONF} /etc/app/
