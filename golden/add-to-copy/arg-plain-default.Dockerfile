# dopt-test: --unsafe-fixes
FROM debian:bookworm-slim
ARG CONF=settings.yaml
ADD ${CONF} /etc/app/
