# dopt-test: --expect DOP412:3
FROM debian:bookworm
RUN curl -fsSL https://a | sh && \
    wget -q https://b