FROM node:20
RUN npm i && npm cache clean --force
