FROM node:20-slim
RUN npm ci --omit=dev && npm cache clean --force
