# dopt-test: --expect none
FROM debian:bookworm
ENV SECRETS_DIR=/run/secrets
