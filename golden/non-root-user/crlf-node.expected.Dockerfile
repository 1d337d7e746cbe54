# dopt-test: --unsafe-fixes
FROM node:20-slim
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /usr/src/app \
 && chgrp 10001 /usr/src/app \
 && chmod g+w,+t /usr/src/app
USER 10001:10001
CMD ["node", "server.js"]
