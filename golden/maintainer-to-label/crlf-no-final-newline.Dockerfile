FROM debian:bookworm
MAINTAINER ops