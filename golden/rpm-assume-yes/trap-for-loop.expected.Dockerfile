FROM debian:bookworm
RUN for i in 1 2; do yum install -y httpd; done
