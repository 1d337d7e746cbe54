FROM fedora:40
RUN dnf upgrade -y && dnf install -y git && dnf clean all
