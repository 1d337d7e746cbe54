# dopt-test: --expect none
FROM debian:bookworm
RUN curl -o /f https://example.com/f
