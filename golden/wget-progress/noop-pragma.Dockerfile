# dopt-test: --expect none
FROM debian:bookworm
# dopt: ignore=DL3047
RUN wget https://example.com/a
