# dopt-test: --expect none
FROM debian:bookworm
COPY --chmod=644 config.json /etc/app/
