# dopt-test: --expect DOP406:3
FROM debian:bookworm
RUN apt-get install -y \
    # remote access
    openssh-server
