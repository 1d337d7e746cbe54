# dopt-test: --unsafe-fixes
FROM node:20
COPY bin/ /app/bin/
RUN chmod -R u+x /app/bin
