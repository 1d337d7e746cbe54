# dopt-test: --unsafe-fixes
FROM mcr.microsoft.com/powershell:lts-debian-11
SHELL ["pwsh", "-Command"]
CMD Write-Host hello
