# dopt-test: --unsafe-fixes
FROM node:20
ARG USER=node
COPY . /app
RUN chown -R $USER /app
