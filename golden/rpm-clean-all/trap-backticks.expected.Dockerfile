FROM debian:bookworm
RUN test -n `uname -m` && dnf install -y httpd && dnf clean all
