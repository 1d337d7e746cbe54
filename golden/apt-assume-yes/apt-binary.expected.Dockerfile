FROM ubuntu:22.04
RUN apt install -y --no-install-recommends vim
