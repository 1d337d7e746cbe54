# dopt-test: --expect none
FROM debian:bookworm
RUN curl https://a && curl https://b
