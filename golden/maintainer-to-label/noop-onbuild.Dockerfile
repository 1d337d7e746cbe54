FROM debian:bookworm
ONBUILD RUN echo MAINTAINER
