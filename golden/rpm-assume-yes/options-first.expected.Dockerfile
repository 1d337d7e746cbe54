FROM centos:7
RUN yum --setopt=tsflags=nodocs install -y nginx && yum clean all
