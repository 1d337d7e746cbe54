# dopt-test: --option untrusted-registry.trusted-registries=docker.io,*.example.com --expect DOP431:3
ARG BASE=quay.io/acme/tool:1.2
FROM $BASE
