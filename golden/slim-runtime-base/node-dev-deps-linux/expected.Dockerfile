# dopt-test: --unsafe-fixes
# devDependencies are installed too: fsevents (macOS only) never installs on Linux, nodemon runs no script.
FROM node:20-bookworm-slim
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci
COPY src ./src
EXPOSE 3000
CMD ["node", "src/index.js"]
