FROM ubuntu:22.04
RUN apt install --no-install-recommends vim
