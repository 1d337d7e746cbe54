FROM debian:bookworm
RUN yum install httpd $PKGS
