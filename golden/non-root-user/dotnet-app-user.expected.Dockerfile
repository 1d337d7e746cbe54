# dopt-test: --unsafe-fixes
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /app/publish

FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app/publish .
RUN mkdir -p /app \
 && chgrp 1654 /app \
 && chmod g+w,+t /app
USER 1654:1654
ENTRYPOINT ["dotnet", "Web.dll"]
