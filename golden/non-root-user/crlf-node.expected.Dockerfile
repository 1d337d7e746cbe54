# dopt-test: --unsafe-fixes
FROM node:20-slim
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
RUN mkdir -p /usr/src/app \
 && chgrp 1000 /usr/src/app \
 && chmod g+w,+t /usr/src/app
USER 1000:1000
CMD ["node", "server.js"]
