# dopt-test: --unsafe-fixes
FROM node:20-alpine
ENV XDG_CACHE_HOME=/var/cache/web
WORKDIR /home/node/web
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]
