FROM debian:bookworm
  RUN echo one && \
    echo two \
    three
