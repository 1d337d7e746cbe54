# dopt-test: --unsafe-fixes
FROM node:20-slim
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm@9 && pnpm install --frozen-lockfile
COPY . .
CMD ["node", "server.js"]
