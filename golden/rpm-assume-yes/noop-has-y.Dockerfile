FROM fedora:40
RUN dnf -y install git && yum install --assumeyes wget && dnf clean all
