# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN <<EOF
apt-get -y remove --purge vim
	apt-get autoremove -y
EOF
