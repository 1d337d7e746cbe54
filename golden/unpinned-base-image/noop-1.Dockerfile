# dopt-test: --expect none
FROM scratch
RUN true
