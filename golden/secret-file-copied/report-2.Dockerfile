# dopt-test: --expect DOP409:3
FROM debian:bookworm
ADD certs/server.key /etc/ssl/private/
