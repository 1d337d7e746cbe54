# dopt-test: --unsafe-fixes
FROM node:20 AS build
WORKDIR /src
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile \
    && yarn cache clean
COPY . .
RUN yarn build

FROM nginx:1.27-alpine
COPY --from=build /src/dist /usr/share/nginx/html
