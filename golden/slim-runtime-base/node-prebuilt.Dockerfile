# dopt-test: --unsafe-fixes
FROM node:20
WORKDIR /srv
COPY dist/ ./dist/
COPY node_modules/ ./node_modules/
CMD ["node", "dist/server.js"]
