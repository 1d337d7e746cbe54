# dopt-test: --unsafe-fixes
FROM node:20-slim
WORKDIR /usr/src/app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev
COPY . .