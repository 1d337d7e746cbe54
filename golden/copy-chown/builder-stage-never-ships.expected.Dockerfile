# dopt-test: --unsafe-fixes --select DOP303 --expect DOP303:4,DOP303:9
FROM node:20 AS build
COPY . /src
RUN chown -R node:node /src
RUN npm ci && npm run build

FROM node:20-slim
COPY --chown=node:node --from=build /src/dist /app
CMD ["node", "/app/server.js"]
