# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN ["sh", "-c", "apt-get install -y curl"]
