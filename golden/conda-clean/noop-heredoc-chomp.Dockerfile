# syntax=docker/dockerfile:1
FROM python:3.11
RUN <<-EOF
	conda install -y numpy
	EOF
