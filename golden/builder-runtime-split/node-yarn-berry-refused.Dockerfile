# dopt-test: --unsafe-fixes
# yarn 2+ prunes with a plugin dopt does not assume.
FROM node:20
WORKDIR /app
COPY . .
RUN yarn install --immutable
RUN yarn build
CMD ["node", "dist/index.js"]
