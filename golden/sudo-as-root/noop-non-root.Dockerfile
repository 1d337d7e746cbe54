# dopt-test: --unsafe-fixes --expect DOP306:4
FROM debian:bookworm
USER app
RUN sudo apt-get update
