# dopt-test: --unsafe-fixes
# `npm install <package>` changes package.json in the image: not read as a lockfile install.
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci
RUN npm install sharp
RUN npm run build
CMD ["node", "dist/index.js"]
