# dopt-test: --unsafe-fixes --select DOP303 --expect DOP303:7
FROM node:20-slim
COPY package.json package-lock.json /app/
RUN cd /app && npm ci
# the sources, then hand everything to node
COPY . /app
RUN chown -R node:node /app
