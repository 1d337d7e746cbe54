# dopt-test: --expect DOP403:2
FROM docker.io/library/ubuntu
RUN true
