# dopt-test: --unsafe-fixes
FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm ci
CMD ["npm", "test"]
