FROM debian:bookworm
RUN echo "MAINTAINER nobody" > /x
