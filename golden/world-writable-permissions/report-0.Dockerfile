# dopt-test: --expect DOP407:3
FROM debian:bookworm
RUN chmod 777 /app
