FROM node:20
RUN npm ci # deps
