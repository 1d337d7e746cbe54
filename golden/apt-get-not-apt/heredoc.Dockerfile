# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN <<EOF
apt -y remove --purge vim
	apt autoremove -y
EOF
