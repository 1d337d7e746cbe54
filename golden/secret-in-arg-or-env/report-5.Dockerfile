# dopt-test: --expect DOP405:3
FROM debian:bookworm
ENV DB_PASS=hunter2 APP_MODE=prod
