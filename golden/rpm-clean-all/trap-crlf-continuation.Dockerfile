FROM debian:bookworm
RUN echo start \
    # note
    && dnf install -y httpd
