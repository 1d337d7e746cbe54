FROM debian:bookworm
RUN dnf install -y httpd $PKGS && dnf clean all
