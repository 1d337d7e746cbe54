# dopt-test: --unsafe-fixes
FROM node:20-alpine
WORKDIR /srv
COPY server.key server.crt ./
COPY . .
CMD ["node", "server.js"]
