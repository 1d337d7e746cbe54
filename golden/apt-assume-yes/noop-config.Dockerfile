FROM debian:bookworm
RUN echo 'APT::Get::Assume-Yes "true";' > /etc/apt/apt.conf.d/90yes && apt-get install curl
