FROM node:20 AS base
WORKDIR /home/node
FROM base
workdir app/web
