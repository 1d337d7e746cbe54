FROM node:20 AS base
WORKDIR /home/node
FROM base
workdir /home/node/app/web
