FROM debian:bookworm
RUN apt-get purge gcc && apt-get autoremove
