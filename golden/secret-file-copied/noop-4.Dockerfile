# dopt-test: --expect none
FROM debian:bookworm
COPY <<EOF /app/.env
MODE=dev
EOF
