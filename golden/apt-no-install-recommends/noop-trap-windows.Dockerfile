# escape=`
# dopt-test: --unsafe-fixes
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN apt-get install -y curl
