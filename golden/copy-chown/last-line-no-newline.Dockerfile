# dopt-test: --unsafe-fixes
FROM node:20
COPY . /app
RUN chown -R node:node /app