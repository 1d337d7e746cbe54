# dopt-test: --expect DOP407:3
FROM debian:bookworm
RUN chmod -R 0777 /data
