# dopt-test: --expect none
FROM debian:bookworm
COPY id_rsa.pub /root/.ssh/authorized_keys
