# dopt-test: --unsafe-fixes
FROM node:20-slim
WORKDIR /srv
COPY dist/ ./dist/
COPY node_modules/ ./node_modules/
CMD ["node", "dist/server.js"]
