# dopt-test: --unsafe-fixes
FROM debian:bookworm AS base
USER 0
FROM base
RUN <<EOF
	sudo mkdir -p "$APP_HOME"
sudo chown 1000 "$APP_HOME" || true
EOF
