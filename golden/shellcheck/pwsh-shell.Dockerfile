# dopt-test: --expect none
FROM mcr.microsoft.com/powershell:lts-debian-11
SHELL ["pwsh", "-Command"]
RUN Write-Host $env:PATH; echo $x
