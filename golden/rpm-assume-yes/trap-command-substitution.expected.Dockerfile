FROM debian:bookworm
RUN test -n "$(uname -m)" && yum install -y httpd
