FROM node:20
RUN yarn install --frozen-lockfile && yarn build
