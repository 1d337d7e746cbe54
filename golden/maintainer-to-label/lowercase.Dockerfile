from debian:bookworm
maintainer ops@example.com
