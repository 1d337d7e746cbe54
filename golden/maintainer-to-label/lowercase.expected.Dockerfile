from debian:bookworm
label maintainer="ops@example.com"
