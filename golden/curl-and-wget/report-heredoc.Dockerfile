# dopt-test: --expect DOP412:3,DOP412:7
FROM debian:bookworm
RUN <<EOF
curl -O https://a
wget https://b
EOF
RUN curl -O https://c
