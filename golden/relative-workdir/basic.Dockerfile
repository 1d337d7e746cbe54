FROM debian:bookworm
WORKDIR /srv
WORKDIR app
