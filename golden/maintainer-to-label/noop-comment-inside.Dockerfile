# dopt-test: --expect DOP302:3
FROM debian:bookworm
MAINTAINER Jane \
# her work address
    <jane@example.com>
