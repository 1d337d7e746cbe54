FROM debian:bookworm
RUN ["apt-get", "update"]
