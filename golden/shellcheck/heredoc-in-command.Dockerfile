# dopt-test: --expect DOP430:6
FROM debian:bookworm
ARG version=1
RUN cat <<EOF > /etc/motd && \
    echo finished
version $version of $product
EOF
