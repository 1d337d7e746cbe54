# dopt-test: --expect none
FROM debian:bookworm
RUN ["sh", "-c", "echo $x"]
