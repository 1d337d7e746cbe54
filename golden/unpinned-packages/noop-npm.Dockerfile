# dopt-test: --expect none
FROM node:20
RUN npm install && npm ci && npm install left-pad@1.3.0 git+https://github.com/a/b.git#v1
