# dopt-test: --unsafe-fixes
FROM node:18-bullseye
RUN apt-get update && apt-get install -y python3 make g++ libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
CMD ["yarn", "start"]
