# dopt-test: --expect none
FROM debian:bookworm
RUN <<EOF
# shellcheck disable=SC2086
tar xf $ARCHIVE
EOF
RUN python3 <<'EOF'
import os; print(os.environ["X"])
EOF
