# dopt-test: --expect none
FROM debian:bookworm
RUN chmod 1775 /srv
