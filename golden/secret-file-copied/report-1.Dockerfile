# dopt-test: --expect DOP409:3
FROM debian:bookworm
COPY id_rsa /root/.ssh/id_rsa
