# dopt-test: --expect DOP409:3
FROM debian:bookworm
COPY config/.env.production /app/
