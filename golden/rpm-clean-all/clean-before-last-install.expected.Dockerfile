FROM centos:7
RUN yum install -y wget && yum clean all && yum install -y git && yum clean all
