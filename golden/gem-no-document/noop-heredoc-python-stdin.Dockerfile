# syntax=docker/dockerfile:1
FROM python:3.11
RUN python3 <<EOF
import os
os.system("gem install rake")
EOF
