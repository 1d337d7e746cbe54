# dopt-test: --unsafe-fixes
FROM debian:bookworm AS base
USER 0
FROM base
RUN <<EOF
	mkdir -p "$APP_HOME"
chown 1000 "$APP_HOME" || true
EOF
