# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN curl -fsSL https://example.com/t.tgz | tar -xz
