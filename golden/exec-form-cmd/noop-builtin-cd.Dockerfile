# dopt-test: --unsafe-fixes --expect DOP304:3
FROM debian:bookworm-slim
CMD cd /srv && ./run
