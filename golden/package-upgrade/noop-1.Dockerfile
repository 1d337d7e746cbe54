# dopt-test: --expect none
FROM debian:bookworm
RUN yum update -y openssl && yum clean all
