# syntax=docker/dockerfile:1
# dopt-test: --cache-mounts
FROM node:20
WORKDIR /app
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile
