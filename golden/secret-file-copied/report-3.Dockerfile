# dopt-test: --expect DOP409:3
FROM debian:bookworm
COPY --chown=app .npmrc package.json /app/
