FROM node:20
RUN npm install -g pnpm@9 && pnpm install
