FROM debian:bookworm
RUN echo start \
    # note
    && yum install -y httpd
