# dopt-test: --expect none
FROM debian:bookworm
RUN curl https://a
# hadolint ignore=DL4001
RUN wget https://b
