# dopt-test: --unsafe-fixes
FROM ubuntu:24.04 AS build
run echo a | tee /a
run echo b | tee /b
FROM build
RUN echo c | tee /c
