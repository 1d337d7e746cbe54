# dopt-test: --expect DOP411:5
FROM node:20 AS build
WORKDIR /src
FROM nginx:1
COPY --from=build /src/dist html
