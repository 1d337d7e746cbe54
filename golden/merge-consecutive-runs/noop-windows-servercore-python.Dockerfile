# dopt-test: --option merge-consecutive-runs.merge=always
FROM python:3.12-windowsservercore-ltsc2022
RUN mkdir C:\app
RUN echo ok > C:\app\ready.txt
