# dopt-test: --expect DOP403:2
FROM python
RUN true
