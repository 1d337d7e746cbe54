# dopt-test: --unsafe-fixes --expect DOP305:4
FROM debian:bookworm
SHELL ["/bin/sh", "-c"]
RUN curl https://x | sh
