# dopt-test: --unsafe-fixes --expect none
ARG BASE
FROM ${BASE}
CMD ["python"]
