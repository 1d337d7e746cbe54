# dopt-test: --expect none
FROM debian:bookworm
RUN echo "curl x | sh"
