FROM debian:bookworm
RUN echo é
RUN echo ü
