# MAINTAINER in a comment
FROM debian:bookworm
