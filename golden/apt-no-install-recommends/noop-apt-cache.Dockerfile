# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-cache policy curl && apt-get download curl
