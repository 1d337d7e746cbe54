# dopt-test: --unsafe-fixes
FROM node:20
COPY . /app
WORKDIR /app
RUN chown -R node:node /app
