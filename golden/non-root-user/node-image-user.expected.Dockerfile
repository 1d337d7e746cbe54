# dopt-test: --unsafe-fixes
FROM node:20-alpine
ENV XDG_CACHE_HOME=/var/cache/web
WORKDIR /home/node/web
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
EXPOSE 3000
RUN mkdir -p /home/node/web /var/cache/web \
 && chown -R 1000:1000 /var/cache/web \
 && chgrp 1000 /home/node/web \
 && chmod g+w,+t /home/node/web
USER 1000:1000
CMD ["node", "server.js"]
