FROM ubuntu:24.04
RUN <<EOF
set -e
wget https://example.com/x.sh
	wget -c https://example.com/y.sh
EOF
