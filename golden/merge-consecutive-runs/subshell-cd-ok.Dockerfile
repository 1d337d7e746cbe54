FROM debian:bookworm
RUN (cd /usr/src && make)
RUN echo built
