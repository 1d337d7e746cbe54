# dopt-test: --option untrusted-registry.trusted-registries=registry.example.com --expect DOP431:2
FROM debian:bookworm
