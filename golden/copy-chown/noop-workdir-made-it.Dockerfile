# dopt-test: --unsafe-fixes --select DOP303 --expect DOP303:5
FROM node:20
WORKDIR /app
COPY . /app
RUN chown -R node:node /app
