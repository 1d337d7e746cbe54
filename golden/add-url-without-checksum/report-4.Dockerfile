# dopt-test: --expect DOP408:3
FROM debian:bookworm
add https://example.com/f /f
