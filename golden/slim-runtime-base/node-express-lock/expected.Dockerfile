# dopt-test: --unsafe-fixes
# An Express API with nothing to build: package-lock.json shows no package with an install script.
FROM node:20-bookworm-slim
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY src ./src
EXPOSE 3000
CMD ["node", "src/index.js"]
