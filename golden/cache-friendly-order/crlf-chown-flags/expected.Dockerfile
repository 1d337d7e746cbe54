# dopt-test: --unsafe-fixes
FROM node:20-slim
WORKDIR /home/node/app
COPY --chown=node:node package.json package-lock.json ./
USER node
RUN npm ci
COPY --chown=node:node . .
CMD ["node", "server.js"]
