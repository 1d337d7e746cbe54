# dopt-test: --option untrusted-registry.trusted-registries=docker.io,*.example.com --expect DOP431:2
FROM localhost:5000/app:dev
