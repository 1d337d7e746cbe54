FROM centos:7
RUN yum install -y git && rm -rf /var/cache/yum
