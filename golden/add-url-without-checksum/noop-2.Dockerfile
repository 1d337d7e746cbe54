# dopt-test: --expect none
FROM debian:bookworm
COPY https.txt /x
