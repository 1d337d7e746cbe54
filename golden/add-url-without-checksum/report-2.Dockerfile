# dopt-test: --expect DOP408:3
FROM debian:bookworm
ADD --chown=1:1 https://x.example/y.zip /y/
