# dopt-test: --expect DOP404:3
FROM debian:bookworm
RUN curl https://bootstrap.pypa.io/get-pip.py | python3
