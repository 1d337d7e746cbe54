# dopt-test: --expect DOP406:3
FROM debian:bookworm
RUN dnf install -y sudo && dnf clean all
