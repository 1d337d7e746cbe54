# dopt-test: --expect DOP402:3
FROM debian:bookworm
RUN cd /tmp; ./configure
