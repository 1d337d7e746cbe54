# dopt-test: --option merge-consecutive-runs.merge=always
FROM mcr.microsoft.com/dotnet/framework/sdk:4.8
WORKDIR C:/src
RUN nuget restore App.sln
RUN msbuild App.sln /p:Configuration=Release
