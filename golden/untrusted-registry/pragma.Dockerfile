# dopt-test: --option untrusted-registry.trusted-registries=docker.io,*.example.com --expect none
# hadolint ignore=DL3026
FROM quay.io/acme/tool:1.2
