FROM debian:bookworm
RUN apt-get purge -y gcc && apt-get autoremove -y
