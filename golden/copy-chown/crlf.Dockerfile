# dopt-test: --unsafe-fixes
FROM node:20
COPY package.json /app/package.json
RUN chown -R node /app/package.json
