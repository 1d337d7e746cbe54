# syntax=docker/dockerfile:1
FROM debian:bookworm
ADD git@github.com:moby/buildkit.git#v0.10.1 /buildkit
