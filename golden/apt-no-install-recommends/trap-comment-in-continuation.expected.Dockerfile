# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN echo start \
    # note
    && apt-get install --no-install-recommends -y curl ca-certificates
