# dopt-test: --unsafe-fixes --expect DOP214:3
FROM debian:bookworm
RUN /usr/bin/apt install -y curl
