FROM node:20-bookworm-slim
# the file's other RUNs chain their lines the other way
RUN mkdir -p /srv/a \
    && mkdir -p /srv/b \
    && mkdir -p /srv/c \
    && mkdir -p /srv/d
RUN npm install -g pnpm@9 && \
  npm ci
