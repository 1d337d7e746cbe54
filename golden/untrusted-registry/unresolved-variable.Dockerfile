# dopt-test: --option untrusted-registry.trusted-registries=docker.io,*.example.com --expect none
FROM $UNSET_BASE
