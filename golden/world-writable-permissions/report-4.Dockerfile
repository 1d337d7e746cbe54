# dopt-test: --expect DOP407:3
FROM debian:bookworm
COPY --chmod=666 config.json /etc/app/
