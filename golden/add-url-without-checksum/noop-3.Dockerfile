# dopt-test: --expect none
FROM debian:bookworm
ADD git@github.com:moby/buildkit.git /b
