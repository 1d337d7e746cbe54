# dopt-test: --expect none
FROM debian:bookworm
RUN curl -s https://x | tar -xz
