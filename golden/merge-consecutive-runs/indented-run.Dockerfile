FROM debian:bookworm
  RUN echo one
  RUN echo two \
    three
