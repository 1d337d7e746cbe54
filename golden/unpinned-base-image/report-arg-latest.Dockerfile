# dopt-test: --expect DOP403:3
ARG TAG=latest
FROM python:${TAG}
CMD ["python"]
