# dopt-test: --expect DOP412:4
FROM debian:bookworm
RUN curl -fsSL https://a -o /a
RUN wget -q https://b
