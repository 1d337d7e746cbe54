# dopt-test: --expect DOP411:3
FROM alpine:3
COPY <<EOF motd
hello
EOF
