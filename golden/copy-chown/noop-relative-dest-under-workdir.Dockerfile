# dopt-test: --unsafe-fixes --select DOP303 --expect DOP303:5
FROM node:20-slim
WORKDIR /app
COPY . .
RUN chown -R node .
