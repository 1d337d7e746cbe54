# dopt-test: --option untrusted-registry.trusted-registries=docker.io,*.example.com --expect DOP431:4
FROM debian:bookworm AS build
RUN true
FROM ghcr.io/acme/runtime@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY --from=build /x /x
