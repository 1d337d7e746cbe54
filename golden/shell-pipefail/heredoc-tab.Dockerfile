# dopt-test: --unsafe-fixes
FROM rockylinux:9
	RUN <<EOF
set -e
cat /etc/os-release | grep ID
EOF
