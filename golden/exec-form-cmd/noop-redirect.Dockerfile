# dopt-test: --unsafe-fixes
FROM debian:bookworm
CMD app > /var/log/app.log 2>&1
