FROM centos:7
RUN yum --setopt=tsflags=nodocs install nginx && yum clean all
