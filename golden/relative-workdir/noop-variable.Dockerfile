# dopt-test: --expect DOP307:4
FROM debian:bookworm
WORKDIR $HOME
WORKDIR app
