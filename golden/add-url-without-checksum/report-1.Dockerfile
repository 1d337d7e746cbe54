# dopt-test: --expect DOP408:3
FROM debian:bookworm
ADD http://example.com/a.sh /usr/local/bin/a.sh
