# dopt-test: --unsafe-fixes
FROM rockylinux:9
	SHELL ["/bin/bash", "-o", "pipefail", "-c"]
	RUN <<EOF
set -e
cat /etc/os-release | grep ID
EOF
