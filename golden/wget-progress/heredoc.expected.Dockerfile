FROM ubuntu:24.04
RUN <<EOF
set -e
wget --progress=dot:giga https://example.com/x.sh
	wget --progress=dot:giga -c https://example.com/y.sh
EOF
