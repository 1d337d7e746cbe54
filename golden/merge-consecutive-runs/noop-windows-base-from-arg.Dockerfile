# dopt-test: --option merge-consecutive-runs.merge=always
ARG BASE=mcr.microsoft.com/windows/servercore:ltsc2022
FROM ${BASE}
RUN mkdir C:\app
RUN echo ok > C:\app\ready.txt
