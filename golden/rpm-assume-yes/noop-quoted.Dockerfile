FROM fedora:40
RUN echo "yum install httpd" > /hint
