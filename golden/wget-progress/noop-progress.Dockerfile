# dopt-test: --expect none
FROM debian:bookworm
RUN wget --progress=bar:force https://example.com/a && wget -qO- https://x | sh
