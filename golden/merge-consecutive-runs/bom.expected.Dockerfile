FROM debian:bookworm
RUN echo é && \
    echo ü
