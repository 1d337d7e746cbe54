# dopt-test: --option untrusted-registry.trusted-registries=docker.io,*.example.com --expect none
FROM registry.example.com/team/app:1
FROM docker.io/library/python:3.12-slim
