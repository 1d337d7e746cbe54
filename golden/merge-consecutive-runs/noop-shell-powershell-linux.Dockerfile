# dopt-test: --option merge-consecutive-runs.merge=always
FROM mcr.microsoft.com/powershell:lts-debian-11
SHELL ["pwsh", "-Command"]
RUN Write-Host one
RUN Write-Host two
