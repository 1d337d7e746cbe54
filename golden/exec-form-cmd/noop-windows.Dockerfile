# dopt-test: --unsafe-fixes
# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
CMD C:\\app\\app.exe
