# dopt-test: --unsafe-fixes
FROM node:20
COPY --chown=node package.json /app/package.json
