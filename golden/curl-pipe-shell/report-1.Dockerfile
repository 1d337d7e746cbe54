# dopt-test: --expect DOP404:3
FROM debian:bookworm
RUN wget -qO- https://x.example/install | bash -s -- -y
