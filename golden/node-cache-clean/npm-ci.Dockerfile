FROM node:20-slim
RUN npm ci --omit=dev
