# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN sudo apt-get update
