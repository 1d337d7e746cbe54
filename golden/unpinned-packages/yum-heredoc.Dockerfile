# dopt-test: --expect DOP410:3
FROM centos:7
RUN <<EOF
yum install -y httpd mod_ssl-2.4 x.rpm
yum clean all
EOF
