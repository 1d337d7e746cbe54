# dopt-test: --option untrusted-registry.trusted-registries=docker.io,*.example.com --expect DOP431:2
FROM quay.io/acme/tool:1.2
