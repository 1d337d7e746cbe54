# syntax=docker/dockerfile:1
# dopt-test: --cache-mounts
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev