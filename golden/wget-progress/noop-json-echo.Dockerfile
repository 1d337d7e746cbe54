# dopt-test: --expect none
FROM debian:bookworm
RUN ["wget", "https://example.com/a"]
RUN echo wget https://example.com/a
