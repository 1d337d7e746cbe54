# dopt-test: --expect DOP401:3
FROM debian:bookworm
RUN dnf upgrade -y --refresh && dnf clean all
