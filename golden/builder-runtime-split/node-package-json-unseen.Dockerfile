# dopt-test: --unsafe-fixes
# package.json is not in the context dopt sees: the runtime keeps node:20 (native addons could need its
# libraries), but the devDependencies still stay behind.
FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
CMD ["npm", "start"]
