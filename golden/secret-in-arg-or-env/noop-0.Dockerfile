# dopt-test: --expect none
FROM debian:bookworm
ARG PASSWORD_FILE=/run/secrets/pw
