FROM fedora:40
RUN dnf upgrade && dnf install git && dnf clean all
