# dopt-test: --expect DOP401:3
FROM debian:bookworm
RUN yum -y update && yum clean all
