# dopt-test: --unsafe-fixes
FROM debian:bookworm
ARG PKGS="curl git"
RUN PKGS=make; apt-get update && apt-get install --no-install-recommends -y $PKGS && rm -rf /var/lib/apt/lists/*
