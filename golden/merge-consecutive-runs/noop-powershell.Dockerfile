# escape=`
# dopt-test: --option merge-consecutive-runs.merge=always
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN Write-Host one
RUN Write-Host two
