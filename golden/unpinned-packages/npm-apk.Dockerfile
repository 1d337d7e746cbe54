# dopt-test: --expect DOP410:3,DOP410:4
FROM node:20
RUN npm install -g @scope/tool typescript@5 ./local
RUN apk add --no-cache --virtual .deps gcc musl-dev=1.2 || true
