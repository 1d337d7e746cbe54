# dopt-test: --expect none
FROM debian:bookworm
RUN pip install sudo-wrapper
