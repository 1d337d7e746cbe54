# dopt-test: --expect DOP407:3
FROM debian:bookworm
RUN mkdir -p /x && chmod o+w /x
