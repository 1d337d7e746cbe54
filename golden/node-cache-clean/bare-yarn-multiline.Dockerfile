FROM node:20
RUN yarn \
  && yarn build
