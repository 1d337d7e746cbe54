FROM debian:bookworm
LABEL maintainer="\"The \$TEAM\" team\\\\ops"
