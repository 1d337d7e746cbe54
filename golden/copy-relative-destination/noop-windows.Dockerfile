# dopt-test: --expect none
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY app C:\\app\\
