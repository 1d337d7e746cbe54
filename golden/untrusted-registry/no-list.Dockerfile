# dopt-test: --expect none
FROM quay.io/acme/tool:1.2
