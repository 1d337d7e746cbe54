FROM fedora:40
RUN dnf list installed && rpm -qa
