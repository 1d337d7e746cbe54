# syntax=docker/dockerfile:1
# dopt-test: --expect DOP204:4
FROM alpine:3.20
RUN python3 <<EOF
import os
os.system("apk add curl")
EOF
