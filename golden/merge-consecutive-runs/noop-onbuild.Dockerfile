FROM debian:bookworm
ONBUILD RUN echo one
ONBUILD RUN echo two
