# dopt-test: --expect none
FROM debian:bookworm
RUN apt-get install -y --no-install-recommends openssh-client
