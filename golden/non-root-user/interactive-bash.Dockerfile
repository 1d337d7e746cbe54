# dopt-test: --unsafe-fixes
FROM python:3.12-slim
WORKDIR /work
CMD bash -i
