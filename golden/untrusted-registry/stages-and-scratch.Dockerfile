# dopt-test: --option untrusted-registry.trusted-registries=docker.io,*.example.com --expect none
FROM debian:bookworm AS build
FROM build
FROM scratch
