# dopt-test: --expect DOP403:2
FROM registry.example.com:5000/team/app
RUN true
