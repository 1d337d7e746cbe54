FROM node:20
ENV YARN_CACHE_FOLDER=/tmp/yarn
RUN yarn install
