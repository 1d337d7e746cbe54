# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update
RUN ["apt-get", "install", "-y", "--no-install-recommends", "curl"]
