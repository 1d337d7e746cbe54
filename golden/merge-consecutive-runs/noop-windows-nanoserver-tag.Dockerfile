# dopt-test: --option merge-consecutive-runs.merge=always
FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022
RUN dotnet restore
RUN dotnet publish -c Release -o out
