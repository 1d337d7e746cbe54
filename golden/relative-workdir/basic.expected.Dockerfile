FROM debian:bookworm
WORKDIR /srv
WORKDIR /srv/app
