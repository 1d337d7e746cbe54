# dopt-test: --expect none
FROM debian:bookworm
RUN wget -o /tmp/log https://example.com/a && wget --append-output=/tmp/l https://y
