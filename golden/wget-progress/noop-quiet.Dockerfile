# dopt-test: --expect none
FROM debian:bookworm
RUN wget -q https://example.com/a && wget -nv https://x && wget --no-verbose https://y
