# dopt-test: --expect none
FROM debian:bookworm
RUN curl https://a
FROM debian:bookworm
RUN wget https://b
