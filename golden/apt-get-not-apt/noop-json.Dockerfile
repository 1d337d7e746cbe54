# dopt-test: --unsafe-fixes --expect none
FROM debian:bookworm
RUN ["apt", "install", "-y", "curl"]
