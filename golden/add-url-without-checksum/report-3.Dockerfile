# dopt-test: --expect DOP408:3
FROM debian:bookworm
ADD ["https://example.com/a b.txt", "/a"]
