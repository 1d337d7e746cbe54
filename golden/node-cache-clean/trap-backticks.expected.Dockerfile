FROM debian:bookworm
RUN test -n `uname -m` && npm ci && npm cache clean --force
