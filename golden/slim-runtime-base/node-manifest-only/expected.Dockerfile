# dopt-test: --unsafe-fixes
# No lockfile in the context: only package.json's direct dependencies can be checked (the finding says so).
FROM node:18-slim
WORKDIR /app
COPY package.json ./
RUN npm install --omit=dev
COPY . .
CMD ["node", "server.js"]
