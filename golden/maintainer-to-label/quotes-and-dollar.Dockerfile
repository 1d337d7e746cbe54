FROM debian:bookworm
MAINTAINER "The $TEAM" team\\ops
